import pg from 'pg';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';

export type Database = NodePgDatabase;
/** A database or a transaction: what operations run on. */
export type Executor = PgDatabase<NodePgQueryResultHKT>;

export interface PoolOptions {
  readonly connectionString: string;
  readonly max: number;
  /** Where idle-connection errors go (a restarted database must not crash the process). */
  readonly onError: (error: Error) => void;
}

/** Sessions run in UTC so timestamps come back as `...+00` and serialize to ISO 8601 without conversion. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    options: '-c TimeZone=UTC',
  });
  pool.on('error', options.onError);
  return pool;
}

export const createDatabase = (pool: pg.Pool): Database => drizzle({ client: pool });
