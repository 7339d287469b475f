import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

export const defaultMigrationsFolder = path.resolve(fileURLToPath(import.meta.url), '../../../drizzle/migrations');

/** Any constant works; it only has to be the same in every process that migrates this database. */
const migrationLockKey = 7_302_118_004;

/**
 * Applies drizzle/migrations under a session advisory lock, so processes starting together migrate one at a time
 * (the second finds everything applied). The lock lives on one dedicated connection and dies with it.
 */
export async function migrateDatabase(pool: pg.Pool, migrationsFolder: string = defaultMigrationsFolder): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  } finally {
    client.release();
  }
}
