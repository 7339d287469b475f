// Oracle: spans made by the OpenTelemetry JS SDK, encoded by the official otlp-transformer (protobuf and JSON),
// decoded by ours, must carry exactly the values the SDK spans had.
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeExport, type OtlpEncoding, type SpanItem } from '../../src/otlp/index.ts';
import { hrTimeNanos, plainAttributes, valueCases } from './support/plain.ts';

const schemaUrl = 'https://opentelemetry.io/schemas/1.26.0';

function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.2.3', 'host.cores': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('oracle.scope', '4.5.6', { schemaUrl });
  const other = provider.getTracer('other.scope');

  // Times past 2^53 ns with odd nanoseconds: a float anywhere on the way would round them.
  const root = tracer.startSpan('GET /users', {
    kind: SpanKind.SERVER,
    startTime: [1_700_000_000, 123_456_789],
    attributes: {
      'http.method': 'GET',
      'http.status_code': 200,
      ratio: 0.25,
      cached: false,
      tags: ['a', 'b'],
      codes: [1, 2, 3],
      flags: [true, false],
      big: 2 ** 40,
    },
  });
  root.addEvent('cache.miss', { key: 'users:1', attempt: 2 }, [1_700_000_000, 223_456_789]);
  root.addEvent('plain');
  root.setStatus({ code: SpanStatusCode.OK });

  const child = tracer.startSpan('SELECT users', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
  child.recordException(new Error('boom'));
  child.end();

  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=value,ot=th:8'),
  });
  const consumer = other.startSpan(
    'orders process',
    {
      kind: SpanKind.CONSUMER,
      links: [
        { context: root.spanContext(), attributes: { 'messaging.batch': true } },
        { context: child.spanContext() },
      ],
    },
    remoteParent,
  );
  consumer.end();
  tracer.startSpan('orders publish', { kind: SpanKind.PRODUCER }).end();
  tracer.startSpan('internal work').end();
  root.end([1_700_000_001, 987_654_321]);
  return exporter.getFinishedSpans();
}

const serializers = {
  protobuf: (spans: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(spans),
  json: (spans: ReadableSpan[]) => JsonTraceSerializer.serializeRequest(spans),
} satisfies Record<OtlpEncoding, (spans: ReadableSpan[]) => Uint8Array | undefined>;

/** What the OTLP span must say, derived from the SDK span (trace.proto field semantics). */
function expectedSpan(span: ReadableSpan) {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent?.spanId ?? '',
    traceState: context.traceState?.serialize() ?? '',
    // W3C flags in bits 0-7, HAS_IS_REMOTE 0x100, IS_REMOTE 0x200 (trace.proto SpanFlags).
    flags: (context.traceFlags & 0xff) | 0x100 | (parent?.isRemote === true ? 0x200 : 0),
    name: span.name,
    // The API's SpanKind has no UNSPECIFIED: INTERNAL = 0 there, 1 on the wire.
    kind: span.kind + 1,
    startTimeUnixNano: hrTimeNanos(span.startTime),
    endTimeUnixNano: hrTimeNanos(span.endTime),
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: hrTimeNanos(event.time),
      attributes: event.attributes ?? {},
      droppedAttributesCount: event.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceState: link.context.traceState?.serialize() ?? '',
      flags: (link.context.traceFlags & 0xff) | 0x100 | (link.context.isRemote === true ? 0x200 : 0),
      attributes: link.attributes ?? {},
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, message: span.status.message ?? '' },
    resource: span.resource.attributes,
    scope: {
      name: span.instrumentationScope.name,
      version: span.instrumentationScope.version ?? '',
      schemaUrl: span.instrumentationScope.schemaUrl ?? '',
    },
  };
}

function actualSpan(item: SpanItem) {
  return {
    traceId: item.traceId,
    spanId: item.spanId,
    parentSpanId: item.parentSpanId,
    traceState: item.traceState,
    flags: item.flags,
    name: item.name,
    kind: item.kind,
    startTimeUnixNano: item.startTimeUnixNano,
    endTimeUnixNano: item.endTimeUnixNano,
    attributes: plainAttributes(item.attributes),
    droppedAttributesCount: item.droppedAttributesCount,
    events: item.events.map((event) => ({
      name: event.name,
      timeUnixNano: event.timeUnixNano,
      attributes: plainAttributes(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount,
    })),
    droppedEventsCount: item.droppedEventsCount,
    links: item.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      traceState: link.traceState,
      flags: link.flags,
      attributes: plainAttributes(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount,
    })),
    droppedLinksCount: item.droppedLinksCount,
    status: { code: item.status.code, message: item.status.message },
    resource: plainAttributes(item.resource.attributes),
    scope: { name: item.scope.name, version: item.scope.version, schemaUrl: item.scope.schemaUrl },
  };
}

describe.each(['protobuf', 'json'] as const)('traces from the OpenTelemetry JS SDK, %s', (encoding) => {
  const spans = sdkSpans();
  const body = serializers[encoding](spans);
  if (body === undefined) throw new Error('the SDK serializer produced no body');
  const batch = decodeExport('traces', encoding, body);

  it('accepts every span: full success, no partial_success', () => {
    expect(spans).toHaveLength(5);
    expect(batch).toMatchObject({ received: 5, rejected: 0, partialSuccess: undefined });
    expect(batch.items).toHaveLength(5);
  });

  it('decodes each span to the values the SDK span had', () => {
    for (const span of spans) {
      const item = batch.items.find((candidate) => candidate.spanId === span.spanContext().spanId);
      expect(item, span.name).toBeDefined();
      if (item !== undefined) expect(actualSpan(item), span.name).toEqual(expectedSpan(span));
    }
  });

  it('keeps nanosecond times above 2^53 exact', () => {
    const root = batch.items.find((item) => item.name === 'GET /users');
    expect(root?.startTimeUnixNano).toBe(1_700_000_000_123_456_789n);
    expect(root?.endTimeUnixNano).toBe(1_700_000_001_987_654_321n);
  });

  it('keeps integer attributes as int_value and fractions as double_value', () => {
    const root = batch.items.find((item) => item.name === 'GET /users');
    expect(valueCases(root?.attributes ?? [])).toMatchObject({
      'http.method': 'stringValue',
      'http.status_code': 'intValue',
      ratio: 'doubleValue',
      cached: 'boolValue',
      tags: 'arrayValue',
      big: 'intValue',
    });
  });

  it('names kinds and status codes, and marks roots with an empty parent', () => {
    const byName = new Map(batch.items.map((item) => [item.name, item]));
    expect(byName.get('GET /users')).toMatchObject({
      kindName: 'SPAN_KIND_SERVER',
      parentSpanId: '',
      status: { codeName: 'STATUS_CODE_OK' },
    });
    expect(byName.get('SELECT users')).toMatchObject({
      kindName: 'SPAN_KIND_CLIENT',
      status: { codeName: 'STATUS_CODE_ERROR' },
    });
    expect(byName.get('orders process')?.kindName).toBe('SPAN_KIND_CONSUMER');
    expect(byName.get('orders publish')?.kindName).toBe('SPAN_KIND_PRODUCER');
    expect(byName.get('internal work')?.kindName).toBe('SPAN_KIND_INTERNAL');
  });

  it('shares one resource and one scope object among the spans that carry them', () => {
    const scoped = batch.items.filter((item) => item.scope.name === 'oracle.scope');
    expect(scoped.length).toBeGreaterThan(1);
    expect(new Set(scoped.map((item) => item.scope)).size).toBe(1);
    expect(new Set(batch.items.map((item) => item.resource)).size).toBe(1);
  });
});

it('decodes the protobuf and the JSON encodings of the same spans to the same items', () => {
  const spans = sdkSpans();
  const fromProtobuf = decodeExport(
    'traces',
    'protobuf',
    ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array(),
  );
  const fromJson = decodeExport('traces', 'json', JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array());
  expect(fromJson).toEqual(fromProtobuf);
});
