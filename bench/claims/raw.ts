import pg from 'pg';
import type { PhaseResult } from './stats.ts';
import { timed } from './stats.ts';

/**
 * The statements our engine sends for claim_next, start_work and complete_work (captured from the running server:
 * src/actions/run-action.ts runTargeted/runUpdate with src/actions/guards.ts), written by hand. Same parameters, same
 * transactions: claim_next takes the agent's advisory lock (the MAX_CONCURRENT_WORK count_below validation) inside a
 * transaction and reads work_items_claim_next_index; start and complete are single conditional UPDATEs.
 */
const claimNext = `UPDATE "work_items" SET "status" = $1, "claimed_by" = $2, "claimed_at" = now(), "updated_at" = now()
WHERE "work_items"."id" = (
  SELECT "id" FROM "work_items"
  WHERE ("work_items"."status" = $3
    AND (SELECT count(*) FROM "work_items" WHERE ("work_items"."claimed_by" = $4 AND "work_items"."status" IN ($5, $6))) < $7)
  ORDER BY array_position(ARRAY['low', 'medium', 'high', 'critical']::text[], "work_items"."priority") DESC, "work_items"."inserted_at" ASC, "work_items"."id" ASC
  LIMIT $8 FOR UPDATE SKIP LOCKED)
RETURNING *`;
const start = `UPDATE "work_items" SET "status" = $1, "updated_at" = now()
WHERE ("work_items"."id" = $2 AND "work_items"."claimed_by" = $3 AND "work_items"."status" = $4) RETURNING *`;
const complete = `UPDATE "work_items" SET "status" = $1, "completed_at" = now(), "result" = $2, "updated_at" = now()
WHERE ("work_items"."id" = $3 AND "work_items"."claimed_by" = $4 AND "work_items"."status" = $5) RETURNING *`;

const utc = (column: string) => `to_char(written."${column}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/**
 * What the event sink (src/events/sink.ts) adds to a transition: its telemetry row, written by the same statement as
 * the change (a data-modifying CTE over the written row). The NOTIFY is sent after commit, batched (see publisher).
 */
const withEvent = (write: string, nameAt: number): string => `WITH written AS (${write}), recorded AS (
  INSERT INTO "telemetry_events" ("event_name", "measurements", "metadata", "trace_id", "source", "processed_at")
  SELECT $${nameAt}::text[], '{}'::jsonb, jsonb_build_object('resource', 'work_item'::text, 'action', $${nameAt + 1}::text, 'id', written."id"::text,
    'actor', $${nameAt + 2}::jsonb, 'record', jsonb_build_object('work_item_id', written."work_item_id", 'work_type', written."work_type",
    'description', written."description", 'priority', written."priority", 'team', written."team", 'status', written."status",
    'claimed_at', ${utc('claimed_at')}, 'completed_at', ${utc('completed_at')}, 'inserted_at', ${utc('inserted_at')}, 'updated_at', ${utc('updated_at')})),
    NULL::text, 'coordination'::text, now() FROM written)
SELECT * FROM written`;

/** What authenticating a request costs in SQL (src/server/auth/authenticate.ts): the agent by its token's SHA-256. */
const authenticate = 'select "id", "agent_id" from "agents" where "agents"."token_hash" = $1 limit $2';

export interface RawOptions {
  /** Also record a telemetry event and NOTIFY per transition, as the server's event sink does. */
  readonly events: boolean;
  /** Also look the agent up by its token hash before each step, as authentication does per request. */
  readonly auth: boolean;
  readonly maxConcurrentWork: number;
  /** Where the batched NOTIFYs go (a connection of their own, as the server's publisher uses its pool). */
  readonly notifyPool: pg.Pool;
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

const eventName = (action: string): string[] => ['coordination', 'work', action === 'claim_next' ? 'claimed' : action === 'start_work' ? 'started' : 'completed'];

/** The batched NOTIFYs the server's publisher sends after commit: one statement per tick for every agent's events. */
function notifier(pool: pg.Pool): (payload: string) => void {
  let queue: string[] = [];
  let scheduled = false;
  return (payload) => {
    queue.push(payload);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      const batch = queue;
      queue = [];
      scheduled = false;
      void pool.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', ['ss_events', batch]);
    });
  };
}

function announce(send: (payload: string) => void, action: string, row: Row): void {
  const event = eventName(action);
  const id = String(row['id']);
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
  send(
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
  );
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
  const send = notifier(options.notifyPool);
  const problems: string[] = [];
  const seconds = await timed(async () => {
    await Promise.all(
      agents.map(async ({ id: agentId, tokenHash }, index) => {
        const client = clients[index];
        if (client === undefined) throw new Error('no client');
        const actor = JSON.stringify({ type: 'agent', id: agentId });
        const step = async (sql: string, values: unknown[], action: string, lockKey?: string) => {
          if (options.auth && (await client.query(authenticate, [tokenHash, 1])).rows.length !== 1)
            throw new Error(`agent ${agentId}: token hash not found`);
          const statement = options.events ? withEvent(sql, values.length + 1) : sql;
          const params = options.events ? [...values, eventName(action), action, actor] : values;
          const row =
            lockKey === undefined
              ? (await client.query<Row>(statement, params)).rows[0]
              : await transaction(client, async () => {
                  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
                  return (await client.query<Row>(statement, params)).rows[0];
                });
          if (row !== undefined && options.events) announce(send, action, row);
          return row;
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
