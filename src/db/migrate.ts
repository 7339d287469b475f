import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

export const defaultMigrationsFolder = path.resolve(fileURLToPath(import.meta.url), '../../../drizzle/migrations');

/**
 * The session advisory lock migrations hold (one process migrates at a time). Any constant works; it only has to be
 * the same in every process that migrates this database.
 */
export const migrationLockKey = 7_302_118_004;

/**
 * Applies drizzle/migrations under a session advisory lock, so processes starting together migrate one at a time
 * (the second finds everything applied). The lock lives on one dedicated connection and dies with it.
 */
export async function migrateDatabase(pool: pg.Pool, migrationsFolder: string = defaultMigrationsFolder): Promise<void> {
  const client = await pool.connect();
  try {
    // Migrations (an index on a large table) and waiting for another process's migration may take longer than a
    // request's statement timeout; RESET afterwards restores the pool's setting for the connection's next user.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  } finally {
    // A connection whose setting cannot be restored is closed rather than handed back to the pool.
    const restored = await client.query('RESET statement_timeout').then(() => true, () => false);
    client.release(!restored);
  }
}
