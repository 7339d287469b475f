import type { SignalItems } from '../decode-export.ts';
import type { OtlpSignal } from '../model/common.ts';
import { dataPointRow } from './data-point-row.ts';
import { jsonText, nanosJson, type JsonSafe } from './json-safe.ts';
import { logRecordRow } from './log-record-row.ts';
import { RowContext, type TelemetryRow } from './row.ts';
import { spanRow } from './span-row.ts';

type RowOf<TItem> = (item: TItem, context: RowContext) => TelemetryRow;

const rowOf: { readonly [TSignal in OtlpSignal]: RowOf<SignalItems[TSignal]> } = {
  traces: spanRow,
  metrics: dataPointRow,
  logs: logRecordRow,
};

/** The accepted items of one request as rows: one per span, metric data point or log record. */
export function signalRows<TSignal extends OtlpSignal>(
  signal: TSignal,
  items: readonly SignalItems[TSignal][],
): TelemetryRow[] {
  const context = new RowContext();
  const toRow: RowOf<SignalItems[TSignal]> = rowOf[signal];
  return items.map((item) => toRow(item, context));
}

/** What the receiver knows about one export request, for its `["otlp_api", signal, "received"]` event. */
export interface ReceivedRequest {
  readonly signal: OtlpSignal;
  readonly requestId: string;
  readonly clientIp: string;
  /** The first X-Forwarded-For entry, recorded as sent (not trusted as the client address). */
  readonly forwardedFor: string | undefined;
  readonly userAgent: string | undefined;
  readonly path: string;
  readonly encoding: string;
  readonly contentEncoding: string;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly receivedAt: Date;
}

/**
 * The per-request event the original recorded (origin-system.md §1.1: `["otlp_api", <signal>, "received"]`,
 * source "otlp_api", client IP, sizes), here with the item counts too. Never deduplicated: each request is an event.
 */
export function requestRow(request: ReceivedRequest): TelemetryRow {
  const measurements: Record<string, JsonSafe> = {
    data_size: request.bodyBytes,
    wire_size: request.wireBytes,
    items_received: request.received,
    items_accepted: request.accepted,
    items_rejected: request.rejected,
    timestamp: nanosJson(BigInt(request.receivedAt.getTime()) * 1_000_000n),
  };
  const metadata: Record<string, JsonSafe> = {
    source: 'http_api',
    client_ip: request.clientIp,
    forwarded_for: request.forwardedFor ?? null,
    user_agent: request.userAgent ?? null,
    request_id: request.requestId,
    path: request.path,
    encoding: request.encoding,
    content_encoding: request.contentEncoding,
    received_at: request.receivedAt.toISOString(),
  };
  return {
    eventName: ['otlp_api', request.signal, 'received'],
    measurements: JSON.stringify(measurements),
    metadata: jsonText(metadata),
    traceId: null,
    spanId: null,
    source: 'otlp_api',
    dedupKey: null,
  };
}
