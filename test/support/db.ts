import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, createPool, type Database } from '../../src/db/pool.ts';
import { withDatabase } from './database-server.ts';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: pg.Pool;
  readonly db: Database;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('testDatabase').adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops (if left over) and creates a database; `template` defaults to the migrated one. */
export async function createDatabaseNamed(name: string, template: string | null = inject('testDatabase').template): Promise<string> {
  await admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(template === null ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`);
  });
  return withDatabase(inject('testDatabase').adminUrl, name);
}

export async function dropDatabaseNamed(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A fresh, migrated database for one test file (a clone of the template), named from a hash of the file path so
 * parallel files never share one. Pass `import.meta.url`; `suffix` gives a file several databases.
 */
export async function createTestDatabase(fileUrl: string, options: { suffix?: string; migrated?: boolean; poolSize?: number } = {}): Promise<TestDatabase> {
  const hash = createHash('sha256').update(fileURLToPath(fileUrl)).update(options.suffix ?? '').digest('hex').slice(0, 12);
  const name = `ss_test_${hash}`;
  const url = await createDatabaseNamed(name, options.migrated === false ? null : inject('testDatabase').template);
  const pool = createPool({ connectionString: url, max: options.poolSize ?? 10, onError: () => undefined });
  return {
    name,
    url,
    pool,
    db: createDatabase(pool),
    drop: async () => {
      await pool.end();
      await dropDatabaseNamed(name);
    },
  };
}
