// Issue 7: /api/otlp/pipeline/status counts what really happened since start (the original's were constants),
// and /api/otlp/health is 200 while the database answers.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp, testConfig } from '../support/runtime.ts';
import {
  exportTo,
  gaugeRequest,
  mediaType,
  newTraceId,
  pipelineStatus,
  post,
  span,
  traceRequest,
} from './support/ingest.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database, testConfig({ OTLP_MAX_CONCURRENT_PIPELINES: '3' }));
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('GET /api/otlp/pipeline/status', () => {
  it('starts at zero', async () => {
    const status = await pipelineStatus(app);
    expect(status).toMatchObject({
      status: 'operational',
      active_pipelines: 0,
      queued_pipelines: 0,
      max_concurrent_pipelines: 3,
      max_queued_pipelines: 3,
      total_pipelines_executed: 0,
      success_rate: null,
      processing_ms: { p50: null, p99: null, samples: 0 },
      responses: {},
    });
  });

  it('after a known sequence: per-signal counts, outcomes, success rate, percentiles, uptime', async () => {
    const traceId = newTraceId();
    const spans = [span({ traceId }), span({ traceId }), span({ traceId, name: '' })];
    expect((await exportTo(app, 'traces', 'protobuf', traceRequest(spans))).status).toBe(200); // 2 stored, 1 rejected
    expect((await exportTo(app, 'traces', 'json', traceRequest(spans))).status).toBe(200); // a retry: 0 new rows
    expect((await exportTo(app, 'metrics', 'json', gaugeRequest([1, 2, 3]))).status).toBe(200);
    expect((await post(app, '/v1/logs', mediaType.protobuf, Buffer.from([0xff]))).status).toBe(400);
    expect((await post(app, '/v1/logs', 'text/plain', 'hello')).status).toBe(415);
    expect((await app.inject({ method: 'GET', url: '/v1/metrics' })).statusCode).toBe(405);

    const uptimeBefore = Math.floor(process.uptime());
    const response = await app.inject({ method: 'GET', url: '/api/otlp/pipeline/status' });
    const uptimeAfter = Math.floor(process.uptime());
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      status: string;
      timestamp: string;
      data: Awaited<ReturnType<typeof pipelineStatus>>;
    };
    expect(body.status).toBe('ok');
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    const status = body.data;
    expect(status).toMatchObject({
      total_pipelines_executed: 4,
      successful_pipelines: 3,
      client_error_pipelines: 1,
      failed_pipelines: 0,
      rejected_for_capacity: 0,
      success_rate: 0.75,
      responses: { '200': 3, '400': 1, '405': 1, '415': 1 },
    });
    expect(status.signals).toEqual({
      traces: { requests: 2, received: 6, accepted: 4, rejected: 2, stored: 2, overloaded: 0 },
      metrics: { requests: 1, received: 3, accepted: 3, rejected: 0, stored: 3, overloaded: 0 },
      // The 405 never reaches a handler of the signal; the 400 and the 415 did.
      logs: { requests: 2, received: 0, accepted: 0, rejected: 0, stored: 0, overloaded: 0 },
    });
    expect(status.processing_ms.samples).toBe(4);
    expect(status.processing_ms.p50).toBeGreaterThan(0);
    expect(status.processing_ms.p99).toBeGreaterThanOrEqual(status.processing_ms.p50 ?? Infinity);
    // The process's uptime, not a clock reading (the original sent the current unix time as "uptime").
    expect(status.uptime_s).toBeGreaterThanOrEqual(uptimeBefore);
    expect(status.uptime_s).toBeLessThanOrEqual(uptimeAfter);
  });

  it('each app counts on its own (the counters belong to the plugin instance, not the module)', async () => {
    const other = await testApp(database);
    try {
      expect((await pipelineStatus(other)).total_pipelines_executed).toBe(0);
      expect((await pipelineStatus(app)).total_pipelines_executed).toBe(4);
    } finally {
      await other.close();
    }
  });
});

describe('GET /api/otlp/health', () => {
  it('is 200 healthy while the database answers and the pipeline works', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/otlp/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      health: 'healthy',
      checks: { database: 'ok', pipeline: 'ok' },
      max_concurrent_pipelines: 3,
    });
  });
});
