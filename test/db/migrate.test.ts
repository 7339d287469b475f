import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { defaultMigrationsFolder, migrateDatabase } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url, { migrated: false });
});
afterAll(async () => {
  await database.drop();
});

describe('migrations', () => {
  it('two processes starting at once: both succeed, every migration is applied exactly once', async () => {
    const journal: { entries: unknown[] } = JSON.parse(await readFile(path.join(defaultMigrationsFolder, 'meta', '_journal.json'), 'utf8'));
    const pools = [1, 2, 3].map(() => createPool({ connectionString: database.url, max: 2, onError: () => undefined }));
    try {
      const outcomes = await Promise.allSettled(pools.map((pool) => migrateDatabase(pool)));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
    const applied = await database.pool.query('SELECT count(*)::int AS count FROM drizzle.__drizzle_migrations');
    expect(applied.rows[0]).toEqual({ count: journal.entries.length });
    const tables = await database.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    expect(tables.rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['agents', 'telemetry_events', 'work_items']));
  });

  it('running them again changes nothing', async () => {
    await migrateDatabase(database.pool);
    const applied = await database.pool.query('SELECT count(*)::int AS count FROM drizzle.__drizzle_migrations');
    const journal: { entries: unknown[] } = JSON.parse(await readFile(path.join(defaultMigrationsFolder, 'meta', '_journal.json'), 'utf8'));
    expect(applied.rows[0]).toEqual({ count: journal.entries.length });
  });
});
