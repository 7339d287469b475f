import type { OtlpEncoding } from './content-type.ts';
import type { OtlpError } from './errors.ts';
import {
  exportLogsResponseJson,
  exportMetricsResponseJson,
  exportTraceResponseJson,
  rpcStatusJson,
} from './json/response-writer.ts';
import type {
  ExportLogsServiceResponse,
  ExportMetricsServiceResponse,
  ExportTraceServiceResponse,
} from './messages/collector.ts';
import type { RpcStatus } from './messages/rpc-status.ts';
import type { OtlpSignal, PartialSuccess } from './model/common.ts';
import {
  writeExportLogsServiceResponse,
  writeExportMetricsServiceResponse,
  writeExportTraceServiceResponse,
  writeRpcStatus,
} from './protobuf/response-writer.ts';

type ExportResponseWriter = (partialSuccess: PartialSuccess | undefined) => Uint8Array;

/** The response side of each encoding: the Export<signal>ServiceResponse per signal, and google.rpc.Status. */
interface ResponseEncoder {
  readonly exportResponse: { readonly [TSignal in OtlpSignal]: ExportResponseWriter };
  readonly status: (status: RpcStatus) => Uint8Array;
}

/** The generic partial success as each signal's response message (rejected_spans / _data_points / _log_records). */
const traceResponse = (p: PartialSuccess | undefined): ExportTraceServiceResponse => ({
  partialSuccess: p && { rejectedSpans: p.rejected, errorMessage: p.errorMessage },
});
const metricsResponse = (p: PartialSuccess | undefined): ExportMetricsServiceResponse => ({
  partialSuccess: p && { rejectedDataPoints: p.rejected, errorMessage: p.errorMessage },
});
const logsResponse = (p: PartialSuccess | undefined): ExportLogsServiceResponse => ({
  partialSuccess: p && { rejectedLogRecords: p.rejected, errorMessage: p.errorMessage },
});

const responseEncoders = {
  protobuf: {
    exportResponse: {
      traces: (p) => writeExportTraceServiceResponse(traceResponse(p)),
      metrics: (p) => writeExportMetricsServiceResponse(metricsResponse(p)),
      logs: (p) => writeExportLogsServiceResponse(logsResponse(p)),
    },
    status: writeRpcStatus,
  },
  json: {
    exportResponse: {
      traces: (p) => exportTraceResponseJson(traceResponse(p)),
      metrics: (p) => exportMetricsResponseJson(metricsResponse(p)),
      logs: (p) => exportLogsResponseJson(logsResponse(p)),
    },
    status: rpcStatusJson,
  },
} as const satisfies Record<OtlpEncoding, ResponseEncoder>;

/**
 * The 200 body in the request's encoding: full success (`partialSuccess` undefined) is `{}` / zero bytes,
 * because "The server MUST leave the partial_success field unset in case of a successful response".
 */
export function encodeExportResponse(
  encoding: OtlpEncoding,
  signal: OtlpSignal,
  partialSuccess: PartialSuccess | undefined,
): Uint8Array {
  return responseEncoders[encoding].exportResponse[signal](partialSuccess);
}

/** A 4xx/5xx body: "MUST be a Protobuf-encoded Status message" (JSON-encoded for JSON requests). */
export function encodeRpcStatus(encoding: OtlpEncoding, status: RpcStatus): Uint8Array {
  return responseEncoders[encoding].status(status);
}

/** The google.rpc.Status of an OtlpError: its informational code and its developer-facing message. */
export function statusOf(error: OtlpError): RpcStatus {
  return { code: error.rpcCode, message: error.message };
}
