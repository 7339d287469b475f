// exports added here are public
// The OTLP/HTTP protocol core: content type → body (bounded gzip) → decode → normalize/validate → response bytes.
// A route (sketch; errors are OtlpError with httpStatus, answered as a google.rpc.Status in the request's encoding):
//   const encoding = parseOtlpContentType(request.headers['content-type']);              // 415
//   const body = await readOtlpBody(request.raw, {                                       // 413, 415, 400
//     contentEncoding: request.headers['content-encoding'], contentLength: request.headers['content-length'],
//     maxBodyBytes: config.OTLP_MAX_BODY_BYTES });
//   const batch = decodeExport('traces', encoding, body);                                // 400
//   /* store batch.items */
//   reply.type(contentTypeOf[encoding]).send(encodeExportResponse(encoding, 'traces', batch.partialSuccess));
//   catch (e: OtlpError) → reply.code(e.httpStatus).type(contentTypeOf[encoding ?? 'json']).send(encodeRpcStatus(encoding ?? 'json', statusOf(e)))
export {
  defaultMaxBodyBytes,
  parseContentEncoding,
  readOtlpBody,
  type BodyLimits,
  type ContentEncoding,
  type ReadBodyOptions,
} from './body.ts';
export { contentTypeOf, otlpEncodings, parseOtlpContentType, type OtlpEncoding } from './content-type.ts';
export { decodeExport, type SignalItems } from './decode-export.ts';
export { decoders, jsonDecoder, protobufDecoder, type Decoder, type SignalRequests } from './decoder.ts';
export { OtlpError, otlpErrorCatalog, rpcCode, type OtlpErrorCode, type RpcCode } from './errors.ts';
export type { AnyValue, KeyValue } from './messages/common.ts';
export type { RpcStatus } from './messages/rpc-status.ts';
export {
  otlpSignals,
  type Attributes,
  type ExportBatch,
  type OtlpSignal,
  type PartialSuccess,
  type ResourceInfo,
  type ScopeInfo,
} from './model/common.ts';
export type {
  DataPointItem,
  ExemplarItem,
  ExponentialHistogramDataPointItem,
  HistogramDataPointItem,
  MetricInfo,
  MetricType,
  NumberDataPointItem,
  SummaryDataPointItem,
} from './model/data-point-item.ts';
export type { LogRecordItem } from './model/log-record-item.ts';
export type { SpanEventItem, SpanItem, SpanLinkItem } from './model/span-item.ts';
export { encodeExportResponse, encodeRpcStatus, statusOf } from './response.ts';
