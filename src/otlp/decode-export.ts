import type { OtlpEncoding } from './content-type.ts';
import { decoders, type Decoder } from './decoder.ts';
import type { ExportBatch, OtlpSignal } from './model/common.ts';
import type { DataPointItem } from './model/data-point-item.ts';
import type { LogRecordItem } from './model/log-record-item.ts';
import type { SpanItem } from './model/span-item.ts';
import { normalizeLogs } from './normalize/normalize-logs.ts';
import { normalizeMetrics } from './normalize/normalize-metrics.ts';
import { normalizeTraces } from './normalize/normalize-traces.ts';

/** The normalized item of each signal: one span, one metric data point, one log record. */
export interface SignalItems {
  readonly traces: SpanItem;
  readonly metrics: DataPointItem;
  readonly logs: LogRecordItem;
}

const pipelines: {
  readonly [TSignal in OtlpSignal]: (decoder: Decoder, body: Uint8Array) => ExportBatch<SignalItems[TSignal]>;
} = {
  traces: (decoder, body) => normalizeTraces(decoder.traces(body)),
  metrics: (decoder, body) => normalizeMetrics(decoder.metrics(body)),
  logs: (decoder, body) => normalizeLogs(decoder.logs(body)),
};

/**
 * decode → normalize → validate for one request body (already decompressed): the accepted items and the partial
 * success to answer with. Throws an OtlpError UNDECODABLE_BODY (400) when the body cannot be decoded at all.
 *
 * @example
 * const encoding = parseOtlpContentType(request.headers['content-type']);
 * const body = await readOtlpBody(request.raw, { contentEncoding: request.headers['content-encoding'] });
 * const batch = decodeExport('traces', encoding, body);
 * // store batch.items, then:
 * reply.type(contentTypeOf[encoding]).send(encodeExportResponse(encoding, 'traces', batch.partialSuccess));
 */
export function decodeExport<TSignal extends OtlpSignal>(
  signal: TSignal,
  encoding: OtlpEncoding | Decoder,
  body: Uint8Array,
): ExportBatch<SignalItems[TSignal]> {
  const decoder = typeof encoding === 'string' ? decoders[encoding] : encoding;
  return pipelines[signal](decoder, body);
}
