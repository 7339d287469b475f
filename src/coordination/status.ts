import { sql } from 'drizzle-orm';
import type { Executor } from '../db/pool.ts';
import type { Registry } from '../runtime/registry.ts';

export interface CoordinationStatus {
  readonly agents: { readonly active: number; readonly total: number };
  readonly work: {
    readonly by_status: Readonly<Record<string, number>>;
    readonly by_priority: Readonly<Record<string, number>>;
    /** The queue: pending items by priority. */
    readonly pending_by_priority: Readonly<Record<string, number>>;
  };
  readonly performance: {
    /** Completions in the last hour. */
    readonly operations_per_hour: number;
    /** Mean minutes from claim to completion, over the last hour's completions (null when none). */
    readonly mean_claim_to_complete_minutes: number | null;
  };
  readonly health_score: number;
  readonly velocity: { readonly total_points: number; readonly last_hour_points: number };
}

const statuses = ['pending', 'claimed', 'in_progress', 'completed', 'failed'] as const;
const priorities = ['low', 'medium', 'high', 'critical'] as const;

/**
 * The original's coordination health score: 50 with no agents and no work, 10 with work but no agents, 80 with agents
 * and no active work, 90 while active work <= agents, 30 when active work > 2 x agents, else 70.
 */
export function healthScore(activeAgents: number, openWork: number, activeWork: number): number {
  if (activeAgents === 0) return openWork === 0 ? 50 : 10;
  if (activeWork === 0) return 80;
  if (activeWork <= activeAgents) return 90;
  if (activeWork > 2 * activeAgents) return 30;
  return 70;
}

/** GET /api/coordination/status, computed by PostgreSQL in one round trip per table. */
export async function coordinationStatus(db: Executor, registry: Registry, offlineAfterMs: number): Promise<CoordinationStatus> {
  const agents = registry.table(registry.resource('agent'));
  const items = registry.table(registry.resource('work_item'));
  const live = sql`(now() - ${offlineAfterMs}::double precision * interval '1 millisecond')`;
  const [agentRow] = (
    await db.execute<{ active: number; total: number }>(sql`
      SELECT count(*) FILTER (WHERE status = 'active' AND last_heartbeat >= ${live})::int AS active, count(*)::int AS total FROM ${agents}`)
  ).rows;
  const workRows = (await db.execute<{ status: string; priority: string; n: number }>(sql`SELECT status, priority, count(*)::int AS n FROM ${items} GROUP BY status, priority`)).rows;
  // Velocity: 5 points per completion unless the item's payload says otherwise (the original's coordination_log).
  const [perf] = (
    await db.execute<{ last_hour: number; mean_minutes: number | null; total_points: number; last_hour_points: number }>(sql`
      SELECT count(*) FILTER (WHERE completed_at >= now() - interval '1 hour')::int AS last_hour,
             (avg(extract(epoch FROM completed_at - claimed_at)) FILTER (WHERE completed_at >= now() - interval '1 hour' AND claimed_at IS NOT NULL) / 60)::float8 AS mean_minutes,
             coalesce(sum(CASE WHEN payload->>'velocity_points' ~ '^[0-9]+$' THEN (payload->>'velocity_points')::int ELSE 5 END), 0)::int AS total_points,
             coalesce(sum(CASE WHEN payload->>'velocity_points' ~ '^[0-9]+$' THEN (payload->>'velocity_points')::int ELSE 5 END)
                      FILTER (WHERE completed_at >= now() - interval '1 hour'), 0)::int AS last_hour_points
      FROM ${items} WHERE status = 'completed'`)
  ).rows;
  const count = (rows: typeof workRows) => rows.reduce((n, r) => n + r.n, 0);
  const byPriority = Object.fromEntries(priorities.map((p) => [p, count(workRows.filter((r) => r.priority === p))]));
  const byStatus = Object.fromEntries(statuses.map((s) => [s, count(workRows.filter((r) => r.status === s))]));
  const pendingByPriority = Object.fromEntries(priorities.map((p) => [p, count(workRows.filter((r) => r.priority === p && r.status === 'pending'))]));
  const active = agentRow?.active ?? 0;
  const activeWork = (byStatus['claimed'] ?? 0) + (byStatus['in_progress'] ?? 0);
  const openWork = activeWork + (byStatus['pending'] ?? 0);
  return {
    agents: { active, total: agentRow?.total ?? 0 },
    work: { by_status: byStatus, by_priority: byPriority, pending_by_priority: pendingByPriority },
    performance: {
      operations_per_hour: perf?.last_hour ?? 0,
      mean_claim_to_complete_minutes: perf?.mean_minutes === null || perf?.mean_minutes === undefined ? null : Math.round(perf.mean_minutes * 100) / 100,
    },
    health_score: healthScore(active, openWork, activeWork),
    velocity: { total_points: perf?.total_points ?? 0, last_hour_points: perf?.last_hour_points ?? 0 },
  };
}
