// The ceiling the receiver is measured against, in the same run: decode the same protobuf bodies with protobufjs
// (reflection over the official .proto files), turn each span into the very row the receiver stores (checked by a
// digest of the stored rows after each round), and write them with one raw multi-row INSERT per body. No HTTP, no
// validation, no transaction around it, no per-request event, no capacity gate.
import { Buffer } from 'node:buffer';
import type pg from 'pg';
import { loadReferenceCodec } from '../../test/otlp/support/reference-codec.ts';

const requestType = loadReferenceCodec().type('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

interface PlainValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: bigint;
  doubleValue?: number;
  bytesValue?: Uint8Array;
  arrayValue?: { values: PlainValue[] };
  kvlistValue?: { values: PlainKeyValue[] };
}
interface PlainKeyValue {
  key: string;
  value?: PlainValue;
}
interface PlainSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  parentSpanId: Uint8Array;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: PlainKeyValue[];
  droppedAttributesCount: number;
  events: { timeUnixNano: bigint; name: string; attributes: PlainKeyValue[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: {
    traceId: Uint8Array;
    spanId: Uint8Array;
    traceState: string;
    attributes: PlainKeyValue[];
    droppedAttributesCount: number;
    flags: number;
  }[];
  droppedLinksCount: number;
  status?: { code: number; message: string };
}
interface PlainRequest {
  resourceSpans: {
    resource?: { attributes: PlainKeyValue[]; droppedAttributesCount: number };
    schemaUrl: string;
    scopeSpans: {
      scope?: { name: string; version: string; attributes: PlainKeyValue[]; droppedAttributesCount: number };
      schemaUrl: string;
      spans: PlainSpan[];
    }[];
  }[];
}

/** The shape protobufjs's toObject gives (checked at the top; the rest is the .proto's schema). */
const isPlainRequest = (value: unknown): value is PlainRequest =>
  typeof value === 'object' && value !== null && 'resourceSpans' in value && Array.isArray(value.resourceSpans);

const kinds = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const statuses = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const int64 = (n: bigint): number | string =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();

function value(v: PlainValue | undefined): Json {
  switch (v?.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'intValue':
      return int64(v.intValue ?? 0n);
    case 'doubleValue':
      return v.doubleValue ?? 0;
    case 'bytesValue':
      return Buffer.from(v.bytesValue ?? []).toString('base64');
    case 'arrayValue':
      return (v.arrayValue?.values ?? []).map(value);
    case 'kvlistValue':
      return attributes(v.kvlistValue?.values ?? []);
    default:
      return null;
  }
}

const attributes = (list: readonly PlainKeyValue[]): Record<string, Json> =>
  Object.fromEntries(list.map((a) => [a.key, value(a.value)]));

export interface CeilingRow {
  readonly eventName: string[];
  readonly measurements: string;
  readonly metadata: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly source: string;
  readonly dedupKey: string;
}

/** protobufjs decode + the receiver's row shape for every span of one body. */
export function ceilingRows(body: Uint8Array): CeilingRow[] {
  const request: unknown = requestType.toObject(requestType.decode(body), {
    longs: BigInt,
    defaults: true,
    arrays: true,
    oneofs: true,
  });
  if (!isPlainRequest(request)) throw new Error('protobufjs did not decode an ExportTraceServiceRequest');
  const rows: CeilingRow[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resourceAttributes = resourceSpans.resource?.attributes ?? [];
    const service = resourceAttributes.find((a) => a.key === 'service.name')?.value?.stringValue ?? 'unknown_service';
    const resource = {
      attributes: attributes(resourceAttributes),
      dropped_attributes_count: resourceSpans.resource?.droppedAttributesCount ?? 0,
      schema_url: resourceSpans.schemaUrl,
    };
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const scope = {
        name: scopeSpans.scope?.name ?? '',
        version: scopeSpans.scope?.version ?? '',
        attributes: attributes(scopeSpans.scope?.attributes ?? []),
        dropped_attributes_count: scopeSpans.scope?.droppedAttributesCount ?? 0,
        schema_url: scopeSpans.schemaUrl,
      };
      for (const span of scopeSpans.spans) {
        const traceId = hex(span.traceId);
        const spanId = hex(span.spanId);
        const parent = hex(span.parentSpanId);
        const code = span.status?.code ?? 0;
        rows.push({
          eventName: ['otlp', 'span', span.name],
          measurements: JSON.stringify({ duration_ns: int64(span.endTimeUnixNano - span.startTimeUnixNano) }),
          metadata: JSON.stringify({
            name: span.name,
            kind: span.kind,
            kind_name: kinds[span.kind] ?? null,
            parent_span_id: /^0*$/.test(parent) ? null : parent,
            trace_state: span.traceState,
            flags: span.flags,
            start_time_unix_nano: span.startTimeUnixNano.toString(),
            end_time_unix_nano: span.endTimeUnixNano.toString(),
            status: { code, code_name: statuses[code] ?? null, message: span.status?.message ?? '' },
            attributes: attributes(span.attributes),
            dropped_attributes_count: span.droppedAttributesCount,
            events: span.events.map((e) => ({
              time_unix_nano: e.timeUnixNano.toString(),
              name: e.name,
              attributes: attributes(e.attributes),
              dropped_attributes_count: e.droppedAttributesCount,
            })),
            dropped_events_count: span.droppedEventsCount,
            links: span.links.map((l) => ({
              trace_id: hex(l.traceId),
              span_id: hex(l.spanId),
              trace_state: l.traceState,
              attributes: attributes(l.attributes),
              dropped_attributes_count: l.droppedAttributesCount,
              flags: l.flags,
            })),
            dropped_links_count: span.droppedLinksCount,
            resource,
            scope,
          }),
          traceId,
          spanId,
          source: service,
          dedupKey: `span:${traceId}:${spanId}`,
        });
      }
    }
  }
  return rows;
}

/** One raw multi-row INSERT of the rows (the statement shape the receiver uses), autocommitted. */
export async function insertCeilingRows(pool: pg.Pool, rows: readonly CeilingRow[]): Promise<number> {
  const tuples: string[] = [];
  const values: unknown[] = [];
  for (const row of rows) {
    const p = values.length;
    tuples.push(`($${p + 1}::text[],$${p + 2}::jsonb,$${p + 3}::jsonb,$${p + 4},$${p + 5},$${p + 6},$${p + 7},now())`);
    values.push(row.eventName, row.measurements, row.metadata, row.traceId, row.spanId, row.source, row.dedupKey);
  }
  const result = await pool.query(
    `INSERT INTO telemetry_events (event_name, measurements, metadata, trace_id, span_id, source, dedup_key, processed_at) VALUES ${tuples.join(',')} ON CONFLICT (dedup_key) DO NOTHING`,
    values,
  );
  return result.rowCount ?? 0;
}
