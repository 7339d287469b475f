import { sql } from 'drizzle-orm';
import type { Executor } from '../db/pool.ts';
import { eventChannel } from '../events/sink.ts';
import { repeat } from '../runtime/periodic.ts';
import type { Registry } from '../runtime/registry.ts';

export type ExpiredClaim = {
  readonly id: string;
  readonly work_item_id: string;
  readonly previous_claimant: string | null;
};

/**
 * Returns to `pending` every item claimed or in progress for longer than the lease whose claimant has not
 * heartbeated within it either, recording `["coordination","work","claim_expired"]` and a NOTIFY for each.
 * One statement: rows are taken FOR UPDATE SKIP LOCKED, so with any number of server processes sweeping at once
 * each expiry happens exactly once (a row another sweeper holds is skipped, and once it commits the row is pending).
 */
export async function sweepExpiredClaims(db: Executor, registry: Registry, leaseMs: number, origin: string | null = null): Promise<ExpiredClaim[]> {
  const items = registry.table(registry.resource('work_item'));
  const agents = registry.table(registry.resource('agent'));
  const events = registry.table(registry.resource('telemetry_event'));
  const lease = sql`(now() - ${leaseMs}::double precision * interval '1 millisecond')`;
  const result = await db.execute<ExpiredClaim>(sql`
    WITH stale AS (
      SELECT w.id, w.claimed_by AS previous_claimant FROM ${items} w
      WHERE w.status IN ('claimed', 'in_progress') AND w.claimed_at < ${lease}
        AND NOT EXISTS (SELECT 1 FROM ${agents} a WHERE a.id = w.claimed_by AND a.last_heartbeat >= ${lease})
      ORDER BY w.claimed_at
      FOR UPDATE OF w SKIP LOCKED
    ), expired AS (
      UPDATE ${items} AS w SET status = 'pending', claimed_by = NULL, claimed_at = NULL, updated_at = now()
      FROM stale WHERE w.id = stale.id
      RETURNING w.id, w.work_item_id, w.work_type, w.priority, w.team, stale.previous_claimant
    ), recorded AS (
      INSERT INTO ${events} (event_name, measurements, metadata, source, processed_at)
      SELECT ARRAY['coordination', 'work', 'claim_expired'], jsonb_build_object('lease_ms', ${leaseMs}::bigint),
             jsonb_build_object('resource', 'work_item', 'action', 'claim_expired', 'id', id, 'work_item_id', work_item_id, 'previous_claimant', previous_claimant),
             'coordination', now()
      FROM expired
      RETURNING 1
    )
    SELECT e.id::text AS id, e.work_item_id, e.previous_claimant::text AS previous_claimant,
           pg_notify(${eventChannel}, json_build_object('event', ARRAY['coordination', 'work', 'claim_expired'], 'resource', 'work_item',
                     'action', 'claim_expired', 'id', e.id, 'trace_id', null, 'at', now(), 'origin', ${origin}::text,
                     'attributes', json_build_object('work_item_id', e.work_item_id, 'work_type', e.work_type, 'priority', e.priority, 'team', e.team, 'status', 'pending'))::text) AS notified
    FROM expired e, (SELECT count(*) FROM recorded) AS written
  `);
  return result.rows.map(({ id, work_item_id, previous_claimant }) => ({ id, work_item_id, previous_claimant }));
}

export interface SweeperOptions {
  readonly db: Executor;
  readonly registry: Registry;
  readonly leaseMs: number;
  /** This server process (see BusEvent.origin). */
  readonly origin: string;
  /** How often to sweep; expiry is at most this late. */
  readonly intervalMs: number;
  readonly log: { info(object: object, message: string): void; warn(object: object, message: string): void };
}

/** Sweeps on an interval until stopped; a failed sweep (database down) is logged and retried next time. */
export function startLeaseSweeper(options: SweeperOptions): { stop(): Promise<void> } {
  return repeat('lease sweep', options.intervalMs, async () => {
    const expired = await sweepExpiredClaims(options.db, options.registry, options.leaseMs, options.origin);
    if (expired.length > 0) options.log.info({ expired: expired.map((e) => e.work_item_id) }, 'work item leases expired');
  }, options.log);
}
