import pg from 'pg';
import type { PhaseResult } from './stats.ts';
import { timed } from './stats.ts';

/**
 * The statements our engine sends for claim_next, start_work and complete_work (captured from the running server:
 * src/actions/run-action.ts runTargeted/runUpdate with src/actions/guards.ts), written by hand. Same parameters, same
 * transactions: claim_next takes the agent's advisory lock (the MAX_CONCURRENT_WORK count_below validation) inside a
 * transaction; start and complete are single conditional UPDATEs.
 */
const claimNext = `UPDATE "work_items" SET "status" = $1, "claimed_by" = $2, "claimed_at" = now(), "updated_at" = now()
WHERE "work_items"."id" = (
  SELECT "id" FROM "work_items"
  WHERE ("work_items"."status" = $3
    AND (SELECT count(*) FROM "work_items" WHERE ("work_items"."claimed_by" = $4 AND "work_items"."status" IN ($5, $6))) < $7)
  ORDER BY array_position(ARRAY[$8, $9, $10, $11]::text[], "work_items"."priority") DESC, "work_items"."inserted_at" ASC, "work_items"."id" ASC
  LIMIT $12 FOR UPDATE SKIP LOCKED)
RETURNING *`;
const start = `UPDATE "work_items" SET "status" = $1, "updated_at" = now()
WHERE ("work_items"."id" = $2 AND "work_items"."claimed_by" = $3 AND "work_items"."status" = $4) RETURNING *`;
const complete = `UPDATE "work_items" SET "status" = $1, "completed_at" = now(), "result" = $2, "updated_at" = now()
WHERE ("work_items"."id" = $3 AND "work_items"."claimed_by" = $4 AND "work_items"."status" = $5) RETURNING *`;

/** What the event sink (src/events/sink.ts) adds to each transition's transaction: a telemetry row and a NOTIFY. */
const recordEvent = `INSERT INTO "telemetry_events" ("event_name", "measurements", "metadata", "trace_id", "source", "processed_at")
VALUES ($1, $2, $3, $4, $5, now()) RETURNING *`;
const notify = 'SELECT pg_notify($1, $2)';

/** What authenticating a request costs in SQL (src/server/auth/authenticate.ts): the agent by its token's SHA-256. */
const authenticate = 'select "id", "agent_id" from "agents" where "agents"."token_hash" = $1 limit $2';

export interface RawOptions {
  /** Also record a telemetry event and NOTIFY per transition, as the server's event sink does. */
  readonly events: boolean;
  /** Also look the agent up by its token hash before each step, as authentication does per request. */
  readonly auth: boolean;
  readonly maxConcurrentWork: number;
}

export interface RawAgent {
  /** The agent's row id. */
  readonly id: string;
  /** SHA-256 (hex) of its bearer token, as agents.token_hash stores it. */
  readonly tokenHash: string;
}

type Row = Record<string, unknown>;

async function transaction(client: pg.Client, work: () => Promise<Row | undefined>): Promise<Row | undefined> {
  await client.query('BEGIN');
  try {
    const row = await work();
    await client.query('COMMIT');
    return row;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function publish(client: pg.Client, action: string, agentId: string, row: Row): Promise<void> {
  const event = [
    'coordination',
    'work',
    action === 'claim_next' ? 'claimed' : action === 'start_work' ? 'started' : 'completed',
  ];
  const record = Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'payload' && key !== 'result'));
  const id = String(row['id']);
  await client.query(recordEvent, [
    event,
    {},
    { resource: 'work_item', action, id, actor: { type: 'agent', id: agentId }, record },
    null,
    'coordination',
  ]);
  const attributes = Object.fromEntries(
    [
      'id',
      'work_type',
      'priority',
      'team',
      'status',
      'claimed_by',
      'claimed_at',
      'completed_at',
      'inserted_at',
      'updated_at',
    ].map((k) => [k, row[k] ?? null]),
  );
  await client.query(notify, [
    'ss_events',
    JSON.stringify({
      event,
      resource: 'work_item',
      action,
      id,
      trace_id: null,
      at: new Date().toISOString(),
      origin: null,
      attributes,
    }),
  ]);
}

/** One connection per agent, sessions in UTC like the server's pool. */
export async function connectRaw(
  url: string,
  count: number,
): Promise<{ clients: pg.Client[]; close: () => Promise<void> }> {
  const clients = Array.from(
    { length: count },
    () => new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  return { clients, close: async () => void (await Promise.all(clients.map((c) => c.end()))) };
}

/** Each agent on its own connection doing claim -> start -> complete with the engine's SQL until nothing is left. */
export async function runRaw(
  system: string,
  clients: readonly pg.Client[],
  agents: readonly RawAgent[],
  options: RawOptions,
): Promise<PhaseResult> {
  const claimMs: number[] = [];
  const cycleMs: number[] = [];
  const claims: { id: string; by: string }[] = [];
  const problems: string[] = [];
  const seconds = await timed(async () => {
    await Promise.all(
      agents.map(async ({ id: agentId, tokenHash }, index) => {
        const client = clients[index];
        if (client === undefined) throw new Error('no client');
        const step = async (sql: string, values: unknown[], action: string, lockKey?: string) => {
          if (options.auth && (await client.query(authenticate, [tokenHash, 1])).rows.length !== 1)
            throw new Error(`agent ${agentId}: token hash not found`);
          if (!options.events && lockKey === undefined) return (await client.query<Row>(sql, values)).rows[0];
          return transaction(client, async () => {
            if (lockKey !== undefined)
              await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
            const row = (await client.query<Row>(sql, values)).rows[0];
            if (row !== undefined && options.events) await publish(client, action, agentId, row);
            return row;
          });
        };
        for (;;) {
          const started = performance.now();
          const claimed = await step(
            claimNext,
            [
              'claimed',
              agentId,
              'pending',
              agentId,
              'claimed',
              'in_progress',
              options.maxConcurrentWork,
              'low',
              'medium',
              'high',
              'critical',
              1,
            ],
            'claim_next',
            `work_item:claim_next:${agentId}`,
          );
          const tookClaim = performance.now() - started;
          if (claimed === undefined) return;
          const id = String(claimed['id']);
          claims.push({ id, by: agentId });
          if ((await step(start, ['in_progress', id, agentId, 'claimed'], 'start_work')) === undefined)
            problems.push(`start ${id}: no row`);
          if ((await step(complete, ['completed', {}, id, agentId, 'in_progress'], 'complete_work')) === undefined)
            problems.push(`complete ${id}: no row`);
          claimMs.push(tookClaim);
          cycleMs.push(performance.now() - started);
        }
      }),
    );
  });
  return { system, items: cycleMs.length, seconds, claimMs, cycleMs, claims, problems };
}
