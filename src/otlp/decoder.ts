import type { OtlpEncoding } from './content-type.ts';
import { decodeLogsRequestJson } from './json/logs-reader.ts';
import { decodeMetricsRequestJson } from './json/metrics-reader.ts';
import { decodeTraceRequestJson } from './json/trace-reader.ts';
import type {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
} from './messages/collector.ts';
import type { OtlpSignal } from './model/common.ts';
import { decodeLogsRequestProtobuf } from './protobuf/logs-reader.ts';
import { decodeMetricsRequestProtobuf } from './protobuf/metrics-reader.ts';
import { decodeTraceRequestProtobuf } from './protobuf/trace-reader.ts';

/** The request message of each signal (collector/<signal>/v1/<signal>_service.proto). */
export interface SignalRequests {
  readonly traces: ExportTraceServiceRequest;
  readonly metrics: ExportMetricsServiceRequest;
  readonly logs: ExportLogsServiceRequest;
}

/**
 * What differs between the two encodings on the way in, and nothing else (the mirror of OpenTelemetry JS's
 * `Encoder` record in otlp-transformer): bytes → the same request messages. Everything after (normalize, validate)
 * is shared. Each function throws an OtlpError UNDECODABLE_BODY (400) saying what failed.
 */
export type Decoder = { readonly encoding: OtlpEncoding } & {
  readonly [TSignal in OtlpSignal]: (body: Uint8Array) => SignalRequests[TSignal];
};

export const protobufDecoder: Decoder = {
  encoding: 'protobuf',
  traces: decodeTraceRequestProtobuf,
  metrics: decodeMetricsRequestProtobuf,
  logs: decodeLogsRequestProtobuf,
};

export const jsonDecoder: Decoder = {
  encoding: 'json',
  traces: decodeTraceRequestJson,
  metrics: decodeMetricsRequestJson,
  logs: decodeLogsRequestJson,
};

export const decoders = { protobuf: protobufDecoder, json: jsonDecoder } as const satisfies Record<
  OtlpEncoding,
  Decoder
>;
