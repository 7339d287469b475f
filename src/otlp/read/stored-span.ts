// Stored span rows read back into a typed shape. The rows are ours (store/span-row.ts), but the table is shared
// (the record_event action writes to it too), so every member is narrowed, with the OTLP default when absent.

export type JsonRecord = { readonly [key: string]: unknown };

export interface StoredResource {
  readonly attributes: JsonRecord;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
  /** Spans with equal keys came from the same resource (grouping for OTLP, processes for Jaeger). */
  readonly key: string;
}

export interface StoredScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: JsonRecord;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
  readonly key: string;
}

export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly status: { readonly code: number; readonly message: string };
  readonly attributes: JsonRecord;
  readonly droppedAttributesCount: number;
  readonly events: readonly {
    readonly timeUnixNano: bigint;
    readonly name: string;
    readonly attributes: JsonRecord;
    readonly droppedAttributesCount: number;
  }[];
  readonly droppedEventsCount: number;
  readonly links: readonly {
    readonly traceId: string;
    readonly spanId: string;
    readonly traceState: string;
    readonly attributes: JsonRecord;
    readonly droppedAttributesCount: number;
    readonly flags: number;
  }[];
  readonly droppedLinksCount: number;
  readonly resource: StoredResource;
  readonly scope: StoredScope;
  readonly source: string;
}

export const isJsonRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const record = (value: unknown): JsonRecord => (isJsonRecord(value) ? value : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const nanos = (value: unknown): bigint => (typeof value === 'string' && /^\d+$/.test(value) ? BigInt(value) : 0n);

function resourceOf(value: JsonRecord): StoredResource {
  return {
    attributes: record(value['attributes']),
    droppedAttributesCount: count(value['dropped_attributes_count']),
    schemaUrl: text(value['schema_url']),
    key: JSON.stringify(value),
  };
}

function scopeOf(value: JsonRecord): StoredScope {
  return {
    name: text(value['name']),
    version: text(value['version']),
    attributes: record(value['attributes']),
    droppedAttributesCount: count(value['dropped_attributes_count']),
    schemaUrl: text(value['schema_url']),
    key: JSON.stringify(value),
  };
}

/** A `telemetry_events` span row (its columns) as a StoredSpan. */
export function storedSpan(row: {
  readonly trace_id: string | null;
  readonly span_id: string | null;
  readonly source: string | null;
  readonly metadata: unknown;
}): StoredSpan {
  const metadata = record(row.metadata);
  const status = record(metadata['status']);
  return {
    traceId: row.trace_id ?? '',
    spanId: row.span_id ?? '',
    parentSpanId: text(metadata['parent_span_id']),
    traceState: text(metadata['trace_state']),
    flags: count(metadata['flags']),
    name: text(metadata['name']),
    kind: count(metadata['kind']),
    startTimeUnixNano: nanos(metadata['start_time_unix_nano']),
    endTimeUnixNano: nanos(metadata['end_time_unix_nano']),
    status: { code: count(status['code']), message: text(status['message']) },
    attributes: record(metadata['attributes']),
    droppedAttributesCount: count(metadata['dropped_attributes_count']),
    events: list(metadata['events']).map((value) => {
      const event = record(value);
      return {
        timeUnixNano: nanos(event['time_unix_nano']),
        name: text(event['name']),
        attributes: record(event['attributes']),
        droppedAttributesCount: count(event['dropped_attributes_count']),
      };
    }),
    droppedEventsCount: count(metadata['dropped_events_count']),
    links: list(metadata['links']).map((value) => {
      const link = record(value);
      return {
        traceId: text(link['trace_id']),
        spanId: text(link['span_id']),
        traceState: text(link['trace_state']),
        attributes: record(link['attributes']),
        droppedAttributesCount: count(link['dropped_attributes_count']),
        flags: count(link['flags']),
      };
    }),
    droppedLinksCount: count(metadata['dropped_links_count']),
    resource: resourceOf(record(metadata['resource'])),
    scope: scopeOf(record(metadata['scope'])),
    source: row.source ?? '',
  };
}
