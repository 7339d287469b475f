// Issue 7: reading stored traces back — through the generic JSON:API (filter[trace_id]), as OTLP/JSON (which our own
// decoder reads back to the very spans that were sent) and as Jaeger JSON (µs, roots with parentSpanId "").
import { Buffer } from 'node:buffer';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExport, type SpanItem } from '../../src/otlp/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp } from '../support/runtime.ts';
import { adminAuth, mediaType, post } from './support/ingest.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const ns = (ms: number) => String(1_700_000_000_000_000_000n + BigInt(ms) * 1_000_000n + 789n);
const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

/** A trace from two services, written the way OTLP/JSON senders write a root: `"parentSpanId": ""`. */
const handMade = {
  resourceSpans: [
    {
      resource: {
        attributes: [kv('service.name', { stringValue: 'frontend' }), kv('host.name', { stringValue: 'web-1' })],
      },
      scopeSpans: [
        {
          scope: { name: 'http', version: '2.0' },
          spans: [
            {
              traceId: traceId.toUpperCase(),
              spanId: '00f067aa0ba902b7',
              parentSpanId: '',
              name: 'GET /checkout',
              kind: 2,
              startTimeUnixNano: ns(0),
              endTimeUnixNano: ns(250),
              attributes: [kv('http.status_code', { intValue: '200' }), kv('ratio', { doubleValue: 0.5 })],
              events: [
                { timeUnixNano: ns(10), name: 'cache.miss', attributes: [kv('key', { stringValue: 'cart:1' })] },
              ],
              status: { code: 2, message: 'payment declined' },
            },
          ],
        },
      ],
    },
    {
      resource: { attributes: [kv('service.name', { stringValue: 'payments' })] },
      scopeSpans: [
        {
          scope: { name: 'rpc' },
          spans: [
            {
              traceId,
              spanId: '53995c3f42cd8ad8',
              parentSpanId: '00f067aa0ba902b7',
              name: 'charge',
              kind: 3,
              startTimeUnixNano: ns(20),
              endTimeUnixNano: ns(120),
              links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' }],
            },
          ],
        },
      ],
    },
  ],
};

describe('GET /api/otlp/traces/:trace_id', () => {
  beforeAll(async () => {
    const sent = await post(app, '/v1/traces', mediaType.json, JSON.stringify(handMade));
    expect(sent.status).toBe(200);
    expect(sent.body.toString()).toBe('{}');
  });

  it('the stored spans are found through the JSON:API by the payload’s real trace id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/json/telemetry_events?filter[trace_id]=${traceId}&sort=inserted_at`,
      headers: { accept: 'application/vnd.api+json', ...adminAuth },
    });
    expect(response.statusCode).toBe(200);
    const names = (response.json() as { data: { attributes: { event_name: string[]; span_id: string } }[] }).data.map(
      (resource) => resource.attributes.event_name,
    );
    expect(names.sort()).toEqual([
      ['otlp', 'span', 'GET /checkout'],
      ['otlp', 'span', 'charge'],
    ]);
  });

  it('?format=jaeger: µs times and durations, the "" parent read as a root, CHILD_OF and FOLLOWS_FROM, a process per service', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/otlp/traces/${traceId.toUpperCase()}?format=jaeger`,
      headers: adminAuth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json() as { data: { spans: unknown[]; processes: unknown }[]; total: number };
    expect(body.total).toBe(1);
    const [jaeger] = body.data;
    expect(jaeger?.processes).toEqual({
      p1: { serviceName: 'frontend', tags: [{ key: 'host.name', type: 'string', value: 'web-1' }] },
      p2: { serviceName: 'payments', tags: [] },
    });
    expect(jaeger?.spans).toEqual([
      {
        traceID: traceId,
        spanID: '00f067aa0ba902b7',
        operationName: 'GET /checkout',
        references: [],
        flags: 0,
        startTime: 1_700_000_000_000_000,
        duration: 250_000,
        tags: expect.arrayContaining([
          { key: 'http.status_code', type: 'int64', value: 200 },
          { key: 'ratio', type: 'float64', value: 0.5 },
          { key: 'span.kind', type: 'string', value: 'server' },
          { key: 'otel.status_code', type: 'string', value: 'ERROR' },
          { key: 'error', type: 'bool', value: true },
          { key: 'otel.status_description', type: 'string', value: 'payment declined' },
          { key: 'otel.scope.name', type: 'string', value: 'http' },
          { key: 'otel.scope.version', type: 'string', value: '2.0' },
        ]),
        logs: [
          {
            timestamp: 1_700_000_000_010_000,
            fields: [
              { key: 'event', type: 'string', value: 'cache.miss' },
              { key: 'key', type: 'string', value: 'cart:1' },
            ],
          },
        ],
        processID: 'p1',
        warnings: null,
      },
      {
        traceID: traceId,
        spanID: '53995c3f42cd8ad8',
        operationName: 'charge',
        references: [
          { refType: 'CHILD_OF', traceID: traceId, spanID: '00f067aa0ba902b7' },
          { refType: 'FOLLOWS_FROM', traceID: '5b8efff798038103d269b633813fc60c', spanID: 'eee19b7ec3c1b174' },
        ],
        flags: 0,
        startTime: 1_700_000_000_020_000,
        duration: 100_000,
        tags: [
          { key: 'span.kind', type: 'string', value: 'client' },
          { key: 'otel.scope.name', type: 'string', value: 'rpc' },
        ],
        logs: [],
        processID: 'p2',
        warnings: null,
      },
    ]);
  });

  it('OTLP/JSON by default, regrouped by resource and scope', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/otlp/traces/${traceId}`, headers: adminAuth });
    expect(response.statusCode).toBe(200);
    const back = decodeExport('traces', 'json', response.rawPayload);
    expect(back.rejected).toBe(0);
    expect(comparable(back.items)).toEqual(
      comparable(decodeExport('traces', 'json', Buffer.from(JSON.stringify(handMade))).items),
    );
  });

  it('400 for an id that is not 32 hex digits, 404 for a trace with no stored span, 400 for an unknown format', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/otlp/traces/not-a-trace-id', headers: adminAuth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: 3, message: 'trace id "not-a-trace-id" is not 32 hex digits' });
    const missing = await app.inject({ method: 'GET', url: `/api/otlp/traces/${'ab'.repeat(16)}`, headers: adminAuth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 5, message: `no spans of trace ${'ab'.repeat(16)} are stored` });
    const format = await app.inject({
      method: 'GET',
      url: `/api/otlp/traces/${traceId}?format=zipkin`,
      headers: adminAuth,
    });
    expect(format.statusCode).toBe(400);
  });
});

/** Spans as comparable values: attribute order is not kept by jsonb (keys are sorted), so attributes are compared as sets. */
function comparable(items: readonly SpanItem[]) {
  const sortAttributes = <T extends { key: string }>(attributes: readonly T[]) =>
    [...attributes].sort((a, b) => a.key.localeCompare(b.key));
  return items
    .map((item) => ({
      ...item,
      attributes: sortAttributes(item.attributes),
      resource: { ...item.resource, attributes: sortAttributes(item.resource.attributes) },
      events: item.events.map((event) => ({ ...event, attributes: sortAttributes(event.attributes) })),
    }))
    .sort((a, b) => a.spanId.localeCompare(b.spanId));
}

describe('read-back of spans made by the OpenTelemetry JS SDK', () => {
  it('returns exactly what the SDK sent (ids, times to the ns, typed attributes, events, links, status)', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'sdk-service', 'host.cores': 8 }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('sdk.scope', '1.2.3');
    const root = tracer.startSpan('GET /users', {
      kind: SpanKind.SERVER,
      startTime: [1_700_000_001, 123_456_789],
      attributes: {
        'http.method': 'GET',
        'http.status_code': 200,
        ratio: 0.25,
        cached: false,
        tags: ['a', 'b'],
        codes: [1, 2],
      },
    });
    root.addEvent('cache.miss', { key: 'users:1', attempt: 2 }, [1_700_000_001, 223_456_789]);
    const child = tracer.startSpan(
      'SELECT users',
      { kind: SpanKind.CLIENT, startTime: [1_700_000_001, 300_000_000] },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
    child.end([1_700_000_001, 400_000_001]);
    root.setStatus({ code: SpanStatusCode.OK });
    root.end([1_700_000_001, 500_000_000]);
    await provider.forceFlush();
    const body = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
    if (body === undefined) throw new Error('the SDK serialized nothing');
    expect((await post(app, '/api/otlp/v1/traces', mediaType.json, Buffer.from(body))).status).toBe(200);

    const sdkTraceId = root.spanContext().traceId;
    const response = await app.inject({ method: 'GET', url: `/api/otlp/traces/${sdkTraceId}`, headers: adminAuth });
    expect(response.statusCode).toBe(200);
    expect(comparable(decodeExport('traces', 'json', response.rawPayload).items)).toEqual(
      comparable(decodeExport('traces', 'json', body).items),
    );
    await provider.shutdown();
  });
});
