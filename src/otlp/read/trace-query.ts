import { and, eq, like, type SQL } from 'drizzle-orm';
import { telemetryEvents } from '../../../drizzle/schema.ts';
import type { Database } from '../../db/pool.ts';
import { storedSpan, type StoredSpan } from './stored-span.ts';

/** The most spans one read returns (a trace larger than this is cut to the spans stored first). */
export const maxSpansPerTrace = 10_000;

const traceIdText = /^[0-9a-fA-F]{32}$/;

/** A trace id as stored (32 lower-case hex digits), or undefined when it is not one (ids are case-insensitive). */
export function normalizeTraceId(value: string): string | undefined {
  return traceIdText.test(value) ? value.toLowerCase() : undefined;
}

/**
 * The ingested spans of a trace, by start time: rows whose dedup key marks them as OTLP spans
 * (`span:<trace>:<span>`), so events recorded through the JSON:API with the same trace id are not mistaken for
 * spans; `scope` is the actor's read scope (the resource's read policies as SQL, undefined = every row). Served by
 * the trace_id index.
 */
export async function readTraceSpans(db: Database, traceId: string, scope: SQL | undefined): Promise<StoredSpan[]> {
  const rows = await db
    .select({
      trace_id: telemetryEvents.trace_id,
      span_id: telemetryEvents.span_id,
      source: telemetryEvents.source,
      metadata: telemetryEvents.metadata,
    })
    .from(telemetryEvents)
    .where(and(eq(telemetryEvents.trace_id, traceId), like(telemetryEvents.dedup_key, 'span:%'), scope))
    .orderBy(telemetryEvents.inserted_at, telemetryEvents.span_id)
    .limit(maxSpansPerTrace);
  return rows
    .map(storedSpan)
    .sort((a, b) =>
      a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0,
    );
}
