import type pg from 'pg';
import type { Config } from '../config/config.ts';
import { redactUrl } from '../config/config.ts';
import { databaseSource } from './connection.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { createDatabase, createPool, type Database } from './pool.ts';

export interface DatabaseHandle {
  readonly pool: pg.Pool;
  readonly db: Database;
  readonly embedded: boolean;
  /** The connection, password redacted: safe to log. */
  readonly description: string;
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** Connects to the configured PostgreSQL, starting the embedded one when no database is configured. */
export async function openDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const source = databaseSource(config);
  let embedded: EmbeddedServer | undefined;
  let connectionString: string;
  if (source.kind === 'embedded') {
    log.info({ dataDir: source.dataDir }, 'no DATABASE_URL or DATABASE_HOST: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(source.dataDir, (message) => log.warn({}, message));
    connectionString = embedded.connectionString;
  } else {
    connectionString = source.connectionString;
  }
  const pool = createPool({
    connectionString,
    max: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT,
    onError: (error) => log.warn({ error: error.message }, 'idle database connection failed'),
  });
  return {
    pool,
    db: createDatabase(pool),
    embedded: embedded !== undefined,
    description: redactUrl(connectionString),
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
}
