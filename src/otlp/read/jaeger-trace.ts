// A trace in the Jaeger query API's JSON (jaeger model/json: what GET /api/traces/{id} of jaeger-query returns and
// the Jaeger UI imports). Mapping per the OpenTelemetry → Jaeger rules (otlp.md §4.1): µs times, span.kind and
// otel.status_* tags, parent → CHILD_OF, links → FOLLOWS_FROM, events → logs, one process per resource.
// Two bugs of the original are not repeated (origin-system.md §1.2): durations are µs, not ns, and a span whose
// parentSpanId is "" (as OTLP/JSON sends a root) is a root: it gets no CHILD_OF reference.
import type { JsonRecord, StoredSpan } from './stored-span.ts';

export interface JaegerTag {
  readonly key: string;
  readonly type: 'string' | 'bool' | 'int64' | 'float64';
  readonly value: string | number | boolean;
}

export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly references: readonly {
    readonly refType: 'CHILD_OF' | 'FOLLOWS_FROM';
    readonly traceID: string;
    readonly spanID: string;
  }[];
  readonly flags: number;
  /** µs since the epoch. */
  readonly startTime: number;
  /** µs. */
  readonly duration: number;
  readonly tags: readonly JaegerTag[];
  readonly logs: readonly { readonly timestamp: number; readonly fields: readonly JaegerTag[] }[];
  readonly processID: string;
  readonly warnings: null;
}

export interface JaegerTrace {
  readonly traceID: string;
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string; readonly tags: readonly JaegerTag[] }>>;
  readonly warnings: null;
}

/** A stored attribute as a Jaeger tag; arrays and maps become JSON text (Jaeger tags are scalars). */
export function jaegerTag(key: string, value: unknown): JaegerTag {
  if (typeof value === 'string') return { key, type: 'string', value };
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') return { key, type: Number.isInteger(value) ? 'int64' : 'float64', value };
  return { key, type: 'string', value: JSON.stringify(value) ?? '' };
}

const tagsOf = (attributes: JsonRecord): JaegerTag[] =>
  Object.entries(attributes).map(([key, value]) => jaegerTag(key, value));

const micros = (nanos: bigint): number => Number(nanos / 1000n);

/** trace.proto SpanKind → the `span.kind` tag; UNSPECIFIED gets none. */
const spanKindTag = ['', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

function spanTags(span: StoredSpan): JaegerTag[] {
  const tags = tagsOf(span.attributes);
  const kind = spanKindTag[span.kind];
  if (kind !== undefined && kind !== '') tags.push(jaegerTag('span.kind', kind));
  if (span.status.code === 1) tags.push(jaegerTag('otel.status_code', 'OK'));
  if (span.status.code === 2) tags.push(jaegerTag('otel.status_code', 'ERROR'), jaegerTag('error', true));
  if (span.status.message !== '') tags.push(jaegerTag('otel.status_description', span.status.message));
  if (span.scope.name !== '') tags.push(jaegerTag('otel.scope.name', span.scope.name));
  if (span.scope.version !== '') tags.push(jaegerTag('otel.scope.version', span.scope.version));
  if (span.traceState !== '') tags.push(jaegerTag('w3c.tracestate', span.traceState));
  return tags;
}

/** The spans of one trace (any order) as a Jaeger trace: spans by start time, one process per distinct resource. */
export function jaegerTrace(traceId: string, spans: readonly StoredSpan[]): JaegerTrace {
  const processIds = new Map<string, string>();
  const processes: Record<string, { serviceName: string; tags: JaegerTag[] }> = {};
  const processOf = (span: StoredSpan): string => {
    let id = processIds.get(span.resource.key);
    if (id === undefined) {
      id = `p${processIds.size + 1}`;
      processIds.set(span.resource.key, id);
      const { 'service.name': serviceName, ...others } = span.resource.attributes;
      processes[id] = {
        serviceName: typeof serviceName === 'string' && serviceName !== '' ? serviceName : span.source,
        tags: tagsOf(others),
      };
    }
    return id;
  };
  const ordered = [...spans].sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0,
  );
  return {
    traceID: traceId,
    spans: ordered.map((span) => ({
      traceID: span.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references: [
        ...(span.parentSpanId === ''
          ? []
          : [{ refType: 'CHILD_OF' as const, traceID: span.traceId, spanID: span.parentSpanId }]),
        ...span.links.map((link) => ({ refType: 'FOLLOWS_FROM' as const, traceID: link.traceId, spanID: link.spanId })),
      ],
      // Jaeger's flags are the W3C trace flags (bit 0: sampled).
      flags: span.flags & 0xff,
      startTime: micros(span.startTimeUnixNano),
      duration: micros(span.endTimeUnixNano - span.startTimeUnixNano),
      tags: spanTags(span),
      logs: span.events.map((event) => ({
        timestamp: micros(event.timeUnixNano),
        fields: [jaegerTag('event', event.name), ...tagsOf(event.attributes)],
      })),
      processID: processOf(span),
      warnings: null,
    })),
    processes,
    warnings: null,
  };
}

/** The query API's envelope around one trace. */
export function jaegerResponse(trace: JaegerTrace) {
  return { data: [trace], total: 1, limit: 0, offset: 0, errors: null };
}
