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
  /** PostgreSQL's statement_timeout for every session (ms; 0 or absent: none), so no request waits forever on a lock. */
  readonly statementTimeoutMs?: number;
}

/**
 * Sessions run in UTC so timestamps come back as `...+00` and serialize to ISO 8601 without conversion, and with a
 * statement timeout, so a statement stuck behind another transaction's lock fails (503) instead of hanging the request.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const timeout = options.statementTimeoutMs ?? 0;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    options: timeout > 0 ? `-c TimeZone=UTC -c statement_timeout=${Math.round(timeout)}` : '-c TimeZone=UTC',
  });
  pool.on('error', options.onError);
  return pool;
}

export const createDatabase = (pool: pg.Pool): Database => drizzle({ client: pool });
