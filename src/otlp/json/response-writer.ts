// OTLP/JSON writers for the response messages: proto3 JSON mapping, lowerCamelCase keys, int64 as a decimal
// string, zero/empty fields left out (so full success is `{}`).
import { Buffer } from 'node:buffer';
import type {
  ExportLogsServiceResponse,
  ExportMetricsServiceResponse,
  ExportTraceServiceResponse,
} from '../messages/collector.ts';
import type { RpcStatus } from '../messages/rpc-status.ts';

const utf8 = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

function partialSuccessJson(rejectedKey: string, rejected: number, errorMessage: string): Record<string, string> {
  return {
    ...(rejected === 0 ? {} : { [rejectedKey]: String(rejected) }),
    ...(errorMessage === '' ? {} : { errorMessage }),
  };
}

/** `{}` or `{"partialSuccess":{"rejectedSpans":"3","errorMessage":"…"}}`. */
export function exportTraceResponseJson(response: ExportTraceServiceResponse): Uint8Array {
  const partial = response.partialSuccess;
  return utf8(
    partial === undefined
      ? {}
      : { partialSuccess: partialSuccessJson('rejectedSpans', partial.rejectedSpans, partial.errorMessage) },
  );
}

/** `{}` or `{"partialSuccess":{"rejectedDataPoints":"3","errorMessage":"…"}}`. */
export function exportMetricsResponseJson(response: ExportMetricsServiceResponse): Uint8Array {
  const partial = response.partialSuccess;
  return utf8(
    partial === undefined
      ? {}
      : { partialSuccess: partialSuccessJson('rejectedDataPoints', partial.rejectedDataPoints, partial.errorMessage) },
  );
}

/** `{}` or `{"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"…"}}`. */
export function exportLogsResponseJson(response: ExportLogsServiceResponse): Uint8Array {
  const partial = response.partialSuccess;
  return utf8(
    partial === undefined
      ? {}
      : { partialSuccess: partialSuccessJson('rejectedLogRecords', partial.rejectedLogRecords, partial.errorMessage) },
  );
}

/** google.rpc.Status: `{"code":3,"message":"…"}` (int32 stays a number). */
export function rpcStatusJson(status: RpcStatus): Uint8Array {
  return utf8({
    ...(status.code === 0 ? {} : { code: status.code }),
    ...(status.message === '' ? {} : { message: status.message }),
  });
}
