// Issue 7: the official OpenTelemetry JS exporters (0.223.x, the line that runs on Node 20) send traces, metrics and
// logs — protobuf and JSON, gzip and plain, to the base URL's /v1/* and to /api/otlp/v1/* — to a listening server;
// each export must succeed and everything sent must be stored. An exporter refused with 429 retries after the
// Retry-After we send and gets through once the pipelines drain.
import { PassThrough } from 'node:stream';
import { SpanKind, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
// The exporters' own shared packages (same pinned versions): the gzip option and the export result codes.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { eventually, testApp, testConfig } from '../support/runtime.ts';
import {
  collectorAuth,
  encodeRequest,
  mediaType,
  pipelineStatus,
  span,
  storedRows,
  traceRequest,
} from './support/ingest.ts';

let database: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database, testConfig({ OTLP_MAX_CONCURRENT_PIPELINES: '1' }));
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

interface Case {
  readonly flavour: 'proto' | 'json';
  readonly path: 'base' | 'api';
  readonly gzip: boolean;
}

const cases: readonly Case[] = [
  { flavour: 'proto', path: 'base', gzip: true },
  { flavour: 'proto', path: 'api', gzip: false },
  { flavour: 'json', path: 'base', gzip: false },
  { flavour: 'json', path: 'api', gzip: true },
];

const label = (c: Case) => `${c.flavour}${c.gzip ? '+gzip' : ''} → ${c.path === 'base' ? '/v1' : '/api/otlp/v1'}`;
const serviceOf = (signal: string, c: Case) => `${signal}-${c.flavour}-${c.path}-${c.gzip ? 'gzip' : 'plain'}`;

function exporterOptions(signal: 'traces' | 'metrics' | 'logs', c: Case) {
  return {
    url: `${baseUrl}${c.path === 'base' ? '' : '/api/otlp'}/v1/${signal}`,
    compression: c.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    headers: { Authorization: collectorAuth.authorization },
    timeoutMillis: 15_000,
  };
}

/** `exporter.export(items, callback)` as a promise of its result. */
function exportWith<T>(
  exporter: { export(items: T, done: (result: ExportResult) => void): void },
  items: T,
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

async function sdkSpans(service: string): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('real-client');
  for (let i = 0; i < 20; i++) {
    tracer.startActiveSpan(
      `GET /items/${i}`,
      { kind: SpanKind.SERVER, attributes: { 'http.status_code': 200 + i } },
      (parent) => {
        tracer.startSpan('SELECT items', { kind: SpanKind.CLIENT }).end();
        parent.addEvent('done', { i });
        parent.end();
      },
    );
  }
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return [...spans];
}

/** A pull reader: `collect()` on demand, no timers. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function sdkMetrics(service: string): Promise<{ metrics: ResourceMetrics; points: number }> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('real-client');
  const requests = meter.createCounter('http.requests', { valueType: ValueType.INT });
  requests.add(5, { route: '/users' });
  requests.add(3, { route: '/orders' });
  meter.createUpDownCounter('queue.depth').add(-2);
  meter.createGauge('room.temperature', { unit: 'Cel' }).record(21.5, { room: 'a' });
  const latency = meter.createHistogram('http.latency', { unit: 'ms' });
  for (const value of [1, 5, 50, 500]) latency.record(value, { route: '/users' });
  const sizes = meter.createHistogram('payload.size', { unit: 'By' });
  for (const value of [1, 2, 1000, 1_000_000]) sizes.record(value);
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  const points = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .reduce((sum, metric) => sum + metric.dataPoints.length, 0);
  return { metrics: resourceMetrics, points };
}

async function sdkLogs(service: string) {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('real-client');
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'started',
    attributes: { port: 4000 },
  });
  logger.emit({ severityNumber: SeverityNumber.WARN, body: { disk: { free: 12.5 } } });
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'boom',
    attributes: { retry: false },
  });
  await provider.forceFlush();
  const records = [...memory.getFinishedLogRecords()];
  await provider.shutdown();
  return records;
}

const ofService = async (kind: string, service: string) =>
  (await storedRows(database.pool, ['otlp', kind])).filter((row) => row.source === service);

describe.each(cases)('the official exporters, $flavour gzip=$gzip to $path', (c) => {
  it(`traces (${label(c)}): every span stored`, async () => {
    const service = serviceOf('traces', c);
    const spans = await sdkSpans(service);
    const exporter =
      c.flavour === 'proto'
        ? new ProtoTraceExporter(exporterOptions('traces', c))
        : new JsonTraceExporter(exporterOptions('traces', c));
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const rows = await ofService('span', service);
    expect(rows.map((row) => `${row.trace_id}:${row.span_id}`).sort()).toEqual(
      spans.map((s) => `${s.spanContext().traceId}:${s.spanContext().spanId}`).sort(),
    );
    const root = rows.find((row) => row.event_name[2] === 'GET /items/7');
    expect(root?.metadata).toMatchObject({
      kind: 2,
      parent_span_id: null,
      attributes: { 'http.status_code': 207 },
      events: [{ name: 'done', attributes: { i: 7 } }],
    });
  });

  it(`metrics (${label(c)}): every data point stored`, async () => {
    const service = serviceOf('metrics', c);
    const { metrics, points } = await sdkMetrics(service);
    const exporter =
      c.flavour === 'proto'
        ? new ProtoMetricExporter(exporterOptions('metrics', c))
        : new JsonMetricExporter(exporterOptions('metrics', c));
    const result = await exportWith(exporter, metrics);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const rows = await ofService('metric', service);
    expect(rows).toHaveLength(points);
    const types = rows.map((row) => {
      const metric = row.metadata['metric'];
      return typeof metric === 'object' && metric !== null && 'type' in metric ? metric.type : undefined;
    });
    expect(new Set(types)).toEqual(new Set(['sum', 'gauge', 'histogram', 'exponential_histogram']));
    expect(rows.find((row) => row.event_name[2] === 'http.latency')?.measurements).toMatchObject({
      count: 4,
      sum: 556,
      min: 1,
      max: 500,
    });
  });

  it(`logs (${label(c)}): every record stored`, async () => {
    const service = serviceOf('logs', c);
    const records = await sdkLogs(service);
    const exporter =
      c.flavour === 'proto'
        ? new ProtoLogExporter(exporterOptions('logs', c))
        : new JsonLogExporter(exporterOptions('logs', c));
    const result = await exportWith(exporter, records);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const rows = await ofService('log', service);
    expect(rows.map((row) => [row.event_name[2], row.metadata['body']]).sort()).toEqual([
      ['ERROR', 'boom'],
      ['INFO', 'started'],
      ['WARN', { disk: { free: 12.5 } }],
    ]);
  });
});

describe('an exporter pushed back with 429', () => {
  it('retries after our Retry-After and its spans are stored once the pipelines drain', async () => {
    // OTLP_MAX_CONCURRENT_PIPELINES = 1 with a queue of 1: two exports whose bodies stay open fill both.
    const held = Array.from({ length: 2 }, () => {
      const bytes = encodeRequest('traces', 'protobuf', traceRequest([span()]));
      const body = new PassThrough();
      body.write(bytes.subarray(0, 5));
      const response = app.inject({
        method: 'POST',
        url: '/v1/traces',
        headers: { 'content-type': mediaType.protobuf, ...collectorAuth },
        payload: body,
      });
      return { body, rest: bytes.subarray(5), response };
    });
    await eventually(async () => {
      const status = await pipelineStatus(app);
      return status.active_pipelines === 1 && status.queued_pipelines === 1;
    });
    const overloadedBefore = (await pipelineStatus(app)).signals.traces.overloaded;

    const service = 'pushed-back';
    const spans = await sdkSpans(service);
    const exporter = new ProtoTraceExporter({
      url: `${baseUrl}/v1/traces`,
      headers: { Authorization: collectorAuth.authorization },
      timeoutMillis: 20_000,
    });
    const exported = exportWith(exporter, spans);
    await eventually(async () => (await pipelineStatus(app)).signals.traces.overloaded > overloadedBefore);
    for (const h of held) h.body.end(h.rest);
    expect((await Promise.all(held.map((h) => h.response))).map((r) => r.statusCode)).toEqual([200, 200]);

    const result = await exported;
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(await ofService('span', service)).toHaveLength(spans.length);
  });
});
