// Issue 7: capacity push-back and the pipeline time limit. Pipelines are held busy deterministically: a request
// whose body stream the test keeps open occupies its pipeline until the test ends the body; a table lock holds a
// pipeline in its INSERT.
import { Buffer } from 'node:buffer';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { eventually, testApp, testConfig } from '../support/runtime.ts';
import {
  collectorAuth,
  countRows,
  decodeStatus,
  encodeRequest,
  hex,
  mediaType,
  newTraceId,
  pipelineStatus,
  post,
  span,
  storedRows,
  traceRequest,
} from './support/ingest.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
});
afterAll(async () => {
  await database.drop();
});

interface Held {
  readonly traceId: Uint8Array;
  readonly body: PassThrough;
  /** The part of the body not sent yet: `body.end(rest)` lets the export finish. */
  readonly rest: Buffer;
  readonly response: Promise<LightMyRequestResponse>;
}

/** Starts an export whose body is only partly sent: it occupies a pipeline (or a queue place) until released. */
function holdExport(app: FastifyInstance): Held {
  const traceId = newTraceId();
  const bytes = encodeRequest('traces', 'protobuf', traceRequest([span({ traceId })]));
  const body = new PassThrough();
  body.write(bytes.subarray(0, 10));
  const response = app.inject({
    method: 'POST',
    url: '/v1/traces',
    headers: { 'content-type': mediaType.protobuf, ...collectorAuth },
    payload: body,
  });
  return { traceId, body, rest: bytes.subarray(10), response };
}

describe('capacity: OTLP_MAX_CONCURRENT_PIPELINES = 2, queue of 2', () => {
  it('refuses the fifth concurrent export at once with 429 + Retry-After, unread, then drains and accepts again', async () => {
    const app = await testApp(database, testConfig({ OTLP_MAX_CONCURRENT_PIPELINES: '2' }));
    try {
      const held = Array.from({ length: 4 }, () => holdExport(app));
      await eventually(async () => {
        const status = await pipelineStatus(app);
        return status.active_pipelines === 2 && status.queued_pipelines === 2;
      });
      expect(await pipelineStatus(app)).toMatchObject({
        status: 'saturated',
        max_concurrent_pipelines: 2,
        max_queued_pipelines: 2,
      });

      // The surplus request is answered before its body is read: a stream that never ends still gets its 429.
      const neverEnds = new PassThrough();
      neverEnds.write(Buffer.from([0x0a]));
      const refused = await app.inject({
        method: 'POST',
        url: '/api/otlp/v1/traces',
        headers: { 'content-type': mediaType.protobuf, ...collectorAuth },
        payload: neverEnds,
      });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers['connection']).toBe('close');
      expect(decodeStatus('protobuf', refused.rawPayload)).toEqual({
        code: 8,
        message: expect.stringContaining('all 2 pipelines are busy'),
      });
      neverEnds.destroy();

      for (const h of held) h.body.end(h.rest);
      const answers = await Promise.all(held.map((h) => h.response));
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
      const stored = new Set((await storedRows(database.pool, ['otlp', 'span'])).map((row) => row.trace_id));
      for (const h of held) expect(stored.has(hex(h.traceId))).toBe(true);

      const status = await pipelineStatus(app);
      expect(status).toMatchObject({
        status: 'operational',
        active_pipelines: 0,
        queued_pipelines: 0,
        rejected_for_capacity: 1,
      });
      expect(status.signals.traces).toMatchObject({ requests: 5, overloaded: 1, stored: 4 });
      expect(status.responses).toEqual({ '200': 4, '429': 1 });

      const after = await post(
        app,
        '/v1/traces',
        mediaType.json,
        encodeRequest('traces', 'json', traceRequest([span()])),
      );
      expect(after.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the pipeline time limit (OTLP_PIPELINE_TIMEOUT_MS)', () => {
  it('a body that does not arrive in time is answered 503 + Retry-After and the pipeline is freed', async () => {
    const app = await testApp(
      database,
      testConfig({ OTLP_MAX_CONCURRENT_PIPELINES: '1', OTLP_PIPELINE_TIMEOUT_MS: '300' }),
    );
    try {
      const held = holdExport(app);
      const answer = await held.response;
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(decodeStatus('protobuf', answer.rawPayload)).toEqual({
        code: 4,
        message: 'the request body did not arrive within the pipeline time limit',
      });
      held.body.destroy();
      // The client's slowness: counted as timed out, not as a failure of this server (health stays ok).
      expect(await pipelineStatus(app)).toMatchObject({
        active_pipelines: 0,
        timed_out_pipelines: 1,
        client_error_pipelines: 1,
        failed_pipelines: 0,
      });
      const after = await post(
        app,
        '/v1/traces',
        mediaType.json,
        encodeRequest('traces', 'json', traceRequest([span()])),
      );
      expect(after.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a store blocked by a lock is cancelled by PostgreSQL at the limit: 503, nothing stored; 200 once the lock is gone', async () => {
    const app = await testApp(database, testConfig({ OTLP_PIPELINE_TIMEOUT_MS: '500' }));
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      const traceId = newTraceId();
      const body = encodeRequest('traces', 'json', traceRequest([span({ traceId })]));
      await locker.query('BEGIN; LOCK TABLE telemetry_events IN ACCESS EXCLUSIVE MODE');
      const blocked = await post(app, '/v1/traces', mediaType.json, body);
      expect(blocked.status).toBe(503);
      expect(blocked.headers['retry-after']).toBe('1');
      expect(decodeStatus('json', blocked.body)).toEqual({
        code: 4,
        message: 'the pipeline exceeded its time limit while storing; nothing was stored',
      });
      // Stuck in the database: a failure on the server's side.
      expect(await pipelineStatus(app)).toMatchObject({ timed_out_pipelines: 1, failed_pipelines: 1 });
      await locker.query('ROLLBACK');
      expect(
        (await storedRows(database.pool, ['otlp', 'span'])).filter((row) => row.trace_id === hex(traceId)),
      ).toEqual([]);

      const retried = await post(app, '/v1/traces', mediaType.json, body);
      expect(retried.status).toBe(200);
      expect(await countRows(database.pool, ['otlp', 'span'])).toBeGreaterThan(0);
    } finally {
      await locker.end();
      await app.close();
    }
  });
});
