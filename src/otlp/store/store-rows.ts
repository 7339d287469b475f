import type pg from 'pg';
import type { TelemetryRow } from './row.ts';

/** Rows per INSERT: 7 bind parameters each, far below PostgreSQL's 65,535; a typical export is one statement. */
export const rowsPerStatement = 1000;

const columns = 'event_name, measurements, metadata, trace_id, span_id, source, dedup_key, processed_at';

/** `INSERT … VALUES (…), (…) ON CONFLICT (dedup_key) DO NOTHING` for `count` rows. */
export function insertStatement(count: number): string {
  const tuples: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = i * 7;
    tuples.push(`($${p + 1}::text[],$${p + 2}::jsonb,$${p + 3}::jsonb,$${p + 4},$${p + 5},$${p + 6},$${p + 7},now())`);
  }
  return `INSERT INTO telemetry_events (${columns}) VALUES ${tuples.join(',')} ON CONFLICT (dedup_key) DO NOTHING`;
}

export function insertParameters(rows: readonly TelemetryRow[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) {
    values.push(row.eventName, row.measurements, row.metadata, row.traceId, row.spanId, row.source, row.dedupKey);
  }
  return values;
}

export interface StoreOptions {
  /** The time left of the pipeline run: the transaction's `statement_timeout`, so PostgreSQL itself stops waiting. */
  readonly timeoutMs: number;
}

/**
 * Stores rows durably: one transaction, multi-row INSERTs of up to `rowsPerStatement` rows, `ON CONFLICT (dedup_key)
 * DO NOTHING`. Resolves with the number of rows inserted (duplicates excluded) once COMMIT has returned, i.e. after
 * the data is durable (synchronous_commit). Any failure rolls everything back and rejects with the driver's error.
 */
export async function storeRows(pool: pg.Pool, rows: readonly TelemetryRow[], options: StoreOptions): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(options.timeoutMs))}`);
    let inserted = 0;
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      const result = await client.query(insertStatement(chunk.length), insertParameters(chunk));
      inserted += result.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return inserted;
  } catch (error) {
    // A failed ROLLBACK means the connection is gone: the pool must discard it rather than hand it out again.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
