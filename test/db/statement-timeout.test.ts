import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, migrationLockKey } from '../../src/db/migrate.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { errorCodes, jsonApi, resource } from '../support/jsonapi.ts';
import { eventually, testApp } from '../support/runtime.ts';

/** DATABASE_STATEMENT_TIMEOUT: a request stuck behind another transaction's lock is answered 503, never left hanging. */
let database: TestDatabase;
let pool: pg.Pool;
let app: FastifyInstance;
const timeoutMs = 300;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  pool = createPool({ connectionString: database.url, max: 2, onError: () => undefined, statementTimeoutMs: timeoutMs });
  app = await testApp({ pool, db: createDatabase(pool) });
});

afterAll(async () => {
  await app.close();
  await pool.end();
  await database.drop();
});

describe('statement timeout', () => {
  it('answers 503 with Retry-After while another transaction holds the row, changes nothing, and succeeds once it is released', async () => {
    const agent = await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', { agent_id: 'timeout-agent' }));
    const token = agent.body.meta.token as string;
    const item = (await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'timeout' }))).body.data.id as string;
    const claim = () => jsonApi(app, 'PATCH', `/api/json/work_items/${item}/claim`, { data: { type: 'work_item', id: item } }, { authorization: `Bearer ${token}` });

    // Another writer (not bound by our pool's timeout) holds the row for as long as it likes.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM work_items WHERE id = $1 FOR UPDATE', [item]);
      const stuck = await claim();
      expect(stuck.status).toBe(503);
      expect(stuck.headers['retry-after']).toBe('1');
      expect(errorCodes(stuck)).toEqual(['SERVICE_UNAVAILABLE']);
      await blocker.query('COMMIT');
    } finally {
      await blocker.end();
    }
    const { rows } = await database.pool.query('SELECT status FROM work_items WHERE id = $1', [item]);
    expect(rows[0].status).toBe('pending');
    expect((await claim()).status).toBe(200);
  });

  it('does not bind migrations: one waiting for another process to finish migrating outlasts the timeout, then runs', async () => {
    const single = createPool({ connectionString: database.url, max: 1, onError: () => undefined, statementTimeoutMs: timeoutMs });
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      // Another process is migrating: it holds the migration lock.
      await other.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
      const migrating = migrateDatabase(single);
      const failed = migrating.then(() => false, () => true);
      // Wait (polling) until ours has waited twice the statement timeout for the lock, and is still waiting.
      await eventually(async () => {
        if (await Promise.race([failed, Promise.resolve(false)])) throw new Error('the migration gave up waiting');
        const { rows } = await other.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
             AND query LIKE '%pg_advisory_lock%' AND now() - query_start > $1 * interval '1 millisecond'`,
          [2 * timeoutMs],
        );
        return rows[0].n === 1;
      }, { intervalMs: 50 });
      await other.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
      await migrating;
      // The connection went back to the pool with the pool's setting.
      const { rows } = await single.query('SHOW statement_timeout');
      expect(rows[0].statement_timeout).toBe(`${timeoutMs}ms`);
    } finally {
      await other.end();
      await single.end();
    }
  });
});
