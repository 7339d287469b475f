import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { eventually, seedRegistry, testApp, testAuth, testConfig } from '../support/runtime.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
});
afterAll(async () => {
  await database.drop();
});

describe('GET /api/health', () => {
  it('is 200 with the database ok, the version and the uptime', async () => {
    const app = await testApp(database);
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', services: { database: 'ok' }, version: '2.0.0', uptime_s: expect.any(Number) });
    await app.close();
  });

  it('is 503 while the database is stopped and 200 again once it is back', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ss-health-'));
    let server = await startEmbeddedPostgres(dataDir);
    const pool = createPool({ connectionString: server.connectionString, max: 2, onError: () => undefined });
    await migrateDatabase(pool);
    const app = await buildApp({ auth: testAuth, config: testConfig(), registry: await seedRegistry(), database: { pool, db: createDatabase(pool) }, logger: false });
    const health = async () => {
      const response = await app.inject({ method: 'GET', url: '/api/health' });
      return { status: response.statusCode, body: response.json() };
    };
    try {
      expect((await health()).status).toBe(200);
      await server.stop();
      await eventually(async () => (await health()).status === 503);
      expect((await health()).body).toMatchObject({ status: 'error', services: { database: 'error' } });
      server = await startEmbeddedPostgres(dataDir);
      await eventually(async () => (await health()).status === 200);
      expect((await health()).body).toMatchObject({ status: 'ok', services: { database: 'ok' } });
    } finally {
      await app.close();
      await pool.end();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('requests', () => {
  it('echo a well-formed x-request-id and replace a malformed one', async () => {
    const app = await testApp(database);
    const given = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const malformed = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id\u0001' } });
    expect(malformed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('unknown routes get a JSON:API 404 document', async () => {
    const app = await testApp(database);
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
    expect(response.json()).toEqual({
      errors: [{ status: '404', code: 'ROUTE_NOT_FOUND', title: 'Route not found', detail: 'No route GET /api/nothing-here' }],
    });
    await app.close();
  });

  it('log one structured line per request with its id, and never the Authorization header', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const app = await buildApp({ auth: testAuth, config: testConfig({ LOG_LEVEL: 'info' }), registry: await seedRegistry(), database, logger: { stream } });
    await app.inject({ method: 'GET', url: '/api/health', headers: { authorization: 'Bearer super-secret-token', 'x-request-id': 'req-42' } });
    await app.close();
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((e) => e['reqId'] === 'req-42').length).toBeGreaterThanOrEqual(2);
    const incoming = entries.find((e) => e['reqId'] === 'req-42' && e['req'] !== undefined);
    expect(incoming?.['req']).toMatchObject({ method: 'GET', url: '/api/health', headers: { authorization: '<redacted>' } });
    expect(lines.join('\n')).not.toContain('super-secret-token');
  });
});
