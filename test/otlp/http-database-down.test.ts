// Issue 7: with PostgreSQL stopped, an export is refused with a retryable 503 + Retry-After (nothing is
// acknowledged that was not stored) and /api/otlp/health says why; once the database is back, exports succeed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { eventually, testApp } from '../support/runtime.ts';
import { decodeStatus, encodeRequest, mediaType, newTraceId, post, span, traceRequest } from './support/ingest.ts';

describe('database unavailable', () => {
  it('503 + Retry-After while PostgreSQL is stopped, health 503 naming the database, 200 again once it is back', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ss-otlp-down-'));
    let server = await startEmbeddedPostgres(dataDir);
    const pool = createPool({ connectionString: server.connectionString, max: 2, onError: () => undefined });
    await migrateDatabase(pool);
    const app = await testApp({ pool, db: createDatabase(pool) });
    const traceId = newTraceId();
    const body = encodeRequest('traces', 'protobuf', traceRequest([span({ traceId })]));
    const health = async () => {
      const response = await app.inject({ method: 'GET', url: '/api/otlp/health' });
      return {
        status: response.statusCode,
        body: response.json() as { reasons?: string[]; checks: Record<string, string> },
      };
    };
    try {
      expect((await health()).status).toBe(200);
      await server.stop();

      let refused = await post(app, '/v1/traces', mediaType.protobuf, body);
      await eventually(async () => {
        refused = await post(app, '/v1/traces', mediaType.protobuf, body);
        return refused.status === 503;
      });
      expect(refused.headers['retry-after']).toBe('5');
      expect(decodeStatus('protobuf', refused.body)).toEqual({
        code: 14,
        message: 'the database is unavailable; nothing was stored, retry shortly',
      });

      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'error', health: 'unhealthy', checks: { database: 'error' } });
      expect(down.body.reasons?.[0]).toMatch(/^the database is unavailable/);

      // Five server-side failures in a row: the pipeline itself reports unhealthy too.
      for (let i = 0; i < 5; i++) expect((await post(app, '/v1/traces', mediaType.protobuf, body)).status).toBe(503);
      expect((await health()).body).toMatchObject({ checks: { database: 'error', pipeline: 'error' } });

      server = await startEmbeddedPostgres(dataDir);
      await eventually(async () => (await post(app, '/v1/traces', mediaType.protobuf, body)).status === 200);
      const stored = await pool.query('SELECT count(*)::int AS n FROM telemetry_events WHERE trace_id = $1', [
        Buffer.from(traceId).toString('hex'),
      ]);
      expect(stored.rows[0]).toEqual({ n: 1 });
      expect(await health()).toMatchObject({ status: 200, body: { checks: { database: 'ok', pipeline: 'ok' } } });
    } finally {
      await app.close();
      await pool.end();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
