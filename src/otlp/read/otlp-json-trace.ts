import {
  isJsonRecord,
  type JsonRecord,
  type StoredResource,
  type StoredScope,
  type StoredSpan,
} from './stored-span.ts';

type OtlpJson = string | number | boolean | readonly OtlpJson[] | { readonly [key: string]: OtlpJson };

/**
 * A stored attribute value back as an OTLP/JSON AnyValue. Stored values are plain JSON, so the type is read from
 * it: integers → intValue (a decimal string), other numbers → doubleValue, arrays → arrayValue, objects →
 * kvlistValue, null → the empty value. What the plain form cannot tell apart comes back as the nearer type: a
 * double with an integral value as intValue, bytes (stored as base64) and int64s past 2^53 (stored as decimal
 * strings) as stringValue. For values the OpenTelemetry SDKs produce (they send integral numbers as ints) the
 * read-back is exact.
 */
export function anyValueOtlpJson(value: unknown): OtlpJson {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValueOtlpJson) } };
  if (isJsonRecord(value)) return { kvlistValue: { values: keyValuesOtlpJson(value) } };
  return {};
}

export function keyValuesOtlpJson(attributes: JsonRecord): OtlpJson[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValueOtlpJson(value) }));
}

function spanOtlpJson(span: StoredSpan): OtlpJson {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    traceState: span.traceState,
    parentSpanId: span.parentSpanId,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: keyValuesOtlpJson(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: event.timeUnixNano.toString(),
      name: event.name,
      attributes: keyValuesOtlpJson(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      traceState: link.traceState,
      attributes: keyValuesOtlpJson(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount,
      flags: link.flags,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, message: span.status.message },
  };
}

/** Puts each value in the group of its key, keeping first-seen order. */
function groupBy<TValue, TKey>(values: readonly TValue[], keyOf: (value: TValue) => TKey): Map<TKey, TValue[]> {
  const groups = new Map<TKey, TValue[]>();
  for (const value of values) {
    const key = keyOf(value);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [value]);
    else group.push(value);
  }
  return groups;
}

const resourceOtlpJson = (resource: StoredResource): OtlpJson => ({
  attributes: keyValuesOtlpJson(resource.attributes),
  droppedAttributesCount: resource.droppedAttributesCount,
});

const scopeOtlpJson = (scope: StoredScope): OtlpJson => ({
  name: scope.name,
  version: scope.version,
  attributes: keyValuesOtlpJson(scope.attributes),
  droppedAttributesCount: scope.droppedAttributesCount,
});

/**
 * A trace's stored spans as OTLP/JSON `TracesData` (trace.proto; the body of an ExportTraceServiceRequest): spans
 * regrouped under their resource and scope, ids hex, times decimal strings, enums numbers.
 */
export function tracesDataOtlpJson(spans: readonly StoredSpan[]): OtlpJson {
  const resourceSpans = [...groupBy(spans, (span) => span.resource.key).values()].map((ofResource) => {
    const resource = ofResource[0]?.resource;
    const scopeSpans = [...groupBy(ofResource, (span) => span.scope.key).values()].map((ofScope) => {
      const scope = ofScope[0]?.scope;
      return {
        ...(scope === undefined ? {} : { scope: scopeOtlpJson(scope), schemaUrl: scope.schemaUrl }),
        spans: ofScope.map(spanOtlpJson),
      };
    });
    return {
      ...(resource === undefined ? {} : { resource: resourceOtlpJson(resource), schemaUrl: resource.schemaUrl }),
      scopeSpans,
    };
  });
  return { resourceSpans };
}
