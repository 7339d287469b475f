import { inArray, sql } from 'drizzle-orm';
import { agents, telemetryEvents, workItems } from '../../../drizzle/schema.ts';
import type { Database, Executor } from '../../db/pool.ts';
import { CoordinationImportError } from './errors.ts';
import type { ImportPlan } from './plan.ts';

/** Rows inserted by this run; the rest of the plan was already there (ON CONFLICT DO NOTHING). */
export interface InsertedCounts {
  readonly agents: number;
  readonly workItems: number;
  readonly completions: number;
}

/** The `source` of the telemetry events an import writes. */
export const importSource = 'coordination_import';

// Well under PostgreSQL's 65,535 bind parameters per statement (13 columns at most).
const chunkSize = 1000;
const chunks = <T>(rows: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(rows.length / chunkSize) }, (_, i) => rows.slice(i * chunkSize, (i + 1) * chunkSize));

/** Any constant: concurrent imports into one database run one after the other. */
const importLockKey = 'coordination_import';

async function agentIdsByName(tx: Executor, names: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const chunk of chunks([...new Set(names)])) {
    for (const row of await tx
      .select({ id: agents.id, agentId: agents.agent_id })
      .from(agents)
      .where(inArray(agents.agent_id, chunk)))
      ids.set(row.agentId, row.id);
  }
  return ids;
}

async function write(tx: Executor, plan: ImportPlan): Promise<InsertedCounts> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${importLockKey}, 0))`);
  let insertedAgents = 0;
  for (const chunk of chunks(plan.agents)) {
    const values = chunk.map((a) => ({
      agent_id: a.agent_id,
      status: a.status,
      capabilities: [...a.capabilities],
      metadata: a.metadata,
      last_heartbeat: a.last_heartbeat,
      ...(a.inserted_at === null ? {} : { inserted_at: a.inserted_at, updated_at: a.inserted_at }),
    }));
    insertedAgents += (
      await tx
        .insert(agents)
        .values(values)
        .onConflictDoNothing({ target: agents.agent_id })
        .returning({ id: agents.id })
    ).length;
  }
  // Claimants resolve to whichever row holds the agent_id: just inserted, or registered before the import.
  const agentIds = await agentIdsByName(
    tx,
    plan.workItems.flatMap((w) => (w.claimant === null ? [] : [w.claimant])),
  );
  let insertedWork = 0;
  for (const chunk of chunks(plan.workItems)) {
    const values = chunk.map((w) => {
      const claimedBy = w.claimant === null ? null : agentIds.get(w.claimant);
      if (claimedBy === undefined) throw new Error(`agent ${w.claimant ?? ''} of ${w.work_item_id} was not written`);
      return {
        work_item_id: w.work_item_id,
        work_type: w.work_type,
        description: w.description,
        priority: w.priority,
        team: w.team,
        status: w.status,
        claimed_by: claimedBy,
        claimed_at: w.claimed_at,
        completed_at: w.completed_at,
        payload: w.payload,
        result: w.result,
        ...(w.inserted_at === null ? {} : { inserted_at: w.inserted_at }),
        ...(w.updated_at === null ? {} : { updated_at: w.updated_at }),
      };
    });
    insertedWork += (
      await tx
        .insert(workItems)
        .values(values)
        .onConflictDoNothing({ target: workItems.work_item_id })
        .returning({ id: workItems.id })
    ).length;
  }
  let insertedEvents = 0;
  for (const chunk of chunks(plan.completions)) {
    const values = chunk.map((c) => ({
      event_name: [...c.event_name],
      measurements: c.measurements,
      metadata: c.metadata,
      trace_id: c.trace_id,
      source: importSource,
      dedup_key: c.dedup_key,
      processed_at: c.at,
      inserted_at: c.at,
      updated_at: c.at,
    }));
    insertedEvents += (
      await tx
        .insert(telemetryEvents)
        .values(values)
        .onConflictDoNothing({ target: telemetryEvents.dedup_key })
        .returning({ id: telemetryEvents.id })
    ).length;
  }
  return { agents: insertedAgents, workItems: insertedWork, completions: insertedEvents };
}

interface PgErrorFields extends Error {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly detail?: unknown;
}

/** The driver's error under drizzle's DrizzleQueryError, described with its constraint, table and failing row. */
function describe(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const fields: PgErrorFields = current;
    if (typeof fields.code !== 'string') continue;
    const where = [fields.table, fields.constraint].filter((part) => typeof part === 'string').join(' ');
    const detail = typeof fields.detail === 'string' ? `: ${fields.detail.slice(0, 500)}` : '';
    return `${fields.message}${where === '' ? '' : ` (${where})`}${detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes the plan in ONE transaction with multi-row INSERT ... ON CONFLICT DO NOTHING on the unique keys (agent_id,
 * work_item_id, dedup_key): a second run inserts nothing, and any failure (a row the database refuses) rolls back all.
 */
export async function writeImportPlan(db: Database, plan: ImportPlan): Promise<InsertedCounts> {
  try {
    return await db.transaction((tx) => write(tx, plan));
  } catch (error) {
    throw new CoordinationImportError(`the database refused the import, nothing was written: ${describe(error)}`, {
      cause: error,
    });
  }
}
