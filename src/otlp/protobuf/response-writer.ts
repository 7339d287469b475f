// Protobuf writers for the (small) OTLP/HTTP response messages, with protobufjs's Writer.
import { Writer } from 'protobufjs/minimal.js';
import type {
  ExportLogsServiceResponse,
  ExportMetricsServiceResponse,
  ExportTraceServiceResponse,
} from '../messages/collector.ts';
import type { RpcStatus } from '../messages/rpc-status.ts';
import { wire } from './wire.ts';

const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/**
 * Export<signal>ServiceResponse with its partial success:
 *   1 partial_success Export<signal>PartialSuccess { 1 rejected_<unit> int64 · 2 error_message string }
 * An unset partial_success (full success) is zero bytes; proto3 leaves zero/empty scalars off the wire.
 */
function writeResponse(
  partialSuccess: { readonly rejected: number; readonly errorMessage: string } | undefined,
): Uint8Array {
  const writer = Writer.create();
  if (partialSuccess !== undefined) {
    writer.uint32(tag(1, wire.LEN)).fork();
    if (partialSuccess.rejected !== 0) writer.uint32(tag(1, wire.VARINT)).int64(partialSuccess.rejected);
    if (partialSuccess.errorMessage !== '') writer.uint32(tag(2, wire.LEN)).string(partialSuccess.errorMessage);
    writer.ldelim();
  }
  return writer.finish();
}

/** trace_service.proto `ExportTraceServiceResponse`: 1 partial_success { 1 rejected_spans int64 · 2 error_message string }. */
export function writeExportTraceServiceResponse(response: ExportTraceServiceResponse): Uint8Array {
  const partial = response.partialSuccess;
  return writeResponse(partial && { rejected: partial.rejectedSpans, errorMessage: partial.errorMessage });
}

/** metrics_service.proto `ExportMetricsServiceResponse`: 1 partial_success { 1 rejected_data_points int64 · 2 error_message string }. */
export function writeExportMetricsServiceResponse(response: ExportMetricsServiceResponse): Uint8Array {
  const partial = response.partialSuccess;
  return writeResponse(partial && { rejected: partial.rejectedDataPoints, errorMessage: partial.errorMessage });
}

/** logs_service.proto `ExportLogsServiceResponse`: 1 partial_success { 1 rejected_log_records int64 · 2 error_message string }. */
export function writeExportLogsServiceResponse(response: ExportLogsServiceResponse): Uint8Array {
  const partial = response.partialSuccess;
  return writeResponse(partial && { rejected: partial.rejectedLogRecords, errorMessage: partial.errorMessage });
}

/** google/rpc/status.proto `Status`: 1 code int32 · 2 message string · 3 details repeated Any (none sent). */
export function writeRpcStatus(status: RpcStatus): Uint8Array {
  const writer = Writer.create();
  if (status.code !== 0) writer.uint32(tag(1, wire.VARINT)).int32(status.code);
  if (status.message !== '') writer.uint32(tag(2, wire.LEN)).string(status.message);
  return writer.finish();
}
