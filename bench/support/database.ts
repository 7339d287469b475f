import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

const machine = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh, migrated database for one benchmark: on the machine's PostgreSQL when it answers, else embedded. */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  let embedded: EmbeddedServer | undefined;
  let admin = process.env['BENCH_DATABASE_URL'] ?? machine;
  if (process.env['BENCH_DATABASE_URL'] === undefined && !(await reachable(machine))) {
    embedded = await startEmbeddedPostgres('.data/bench');
    admin = embedded.connectionString.replace(/\/[^/]+$/, '/postgres');
  }
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]+$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await migrateDatabase(pool);
  await pool.end();
  return {
    url,
    drop: async () => {
      const again = new pg.Client({ connectionString: admin });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
      await embedded?.stop();
    },
  };
}
