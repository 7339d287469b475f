import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { canConnect, machinePostgresUrl, templateNameFor, withDatabase } from './database-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { readonly adminUrl: string; readonly template: string };
  }
}

let embedded: EmbeddedServer | undefined;

/** Any constant: serializes template creation between concurrent test runs on one server. */
const templateLockKey = 7_302_118_005;

/**
 * Picks the PostgreSQL server for the run (TEST_DATABASE_URL, else the machine's on 127.0.0.1:5432, else an embedded
 * one under .data/test) and migrates a template database that every test file clones.
 */
export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env['TEST_DATABASE_URL'];
  if (adminUrl === undefined) {
    if (await canConnect(machinePostgresUrl)) {
      adminUrl = machinePostgresUrl;
    } else {
      console.warn('[tests] no PostgreSQL on 127.0.0.1:5432: starting the embedded one under .data/test');
      embedded = await startEmbeddedPostgres('.data/test');
      adminUrl = withDatabase(embedded.connectionString, 'postgres');
    }
  }
  const template = await templateNameFor();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [templateLockKey]);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}_building`).catch(async () => {
        await admin.query(`DROP DATABASE ${template}_building`);
        await admin.query(`CREATE DATABASE ${template}_building`);
      });
      const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, `${template}_building`), max: 1 });
      try {
        await migrateDatabase(pool);
      } finally {
        await pool.end();
      }
      await admin.query(`ALTER DATABASE ${template}_building RENAME TO ${template}`);
    }
    await admin.query('SELECT pg_advisory_unlock($1)', [templateLockKey]);
  } finally {
    await admin.end();
  }
  project.provide('testDatabase', { adminUrl, template });
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
