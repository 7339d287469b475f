import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type RouteHandlerMethod } from 'fastify';
import pg from 'pg';
import qs from 'qs';

/**
 * The baseline: a hand-written Fastify + pg route per benchmarked URL, running the same SQL as the engine (as named
 * prepared statements, like the engine's hot paths) and writing the same bytes, with none of the engine: no model,
 * no query parsing, no Drizzle, no generic serializer.
 */
type Row = Record<string, unknown>;

const iso = (text: unknown): string | null => {
  if (typeof text !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/.exec(text);
  return match === null ? text : `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`;
};

const authSql = 'select "id", "agent_id" from "agents" where "agents"."token_hash" = $1 limit $2';
/** The agent columns as the engine selects them: `status` read through its `readAs` (offline after 90 s silent). */
const agentColumns =
  'select "id", "agent_id", (CASE WHEN "agents"."last_heartbeat" < (now() - $1::double precision * interval \'1 millisecond\') THEN $2 ELSE "agents"."status" END) as "status", "capabilities", "metadata", "last_heartbeat", "inserted_at", "updated_at", "id" from "agents"';
/**
 * Both servers run with a one-hour AGENT_HEARTBEAT_INTERVAL, so the seeded agents stay `active` for the whole run
 * (with the 30 s default they would read as offline halfway through, and the bodies would differ between rounds).
 */
export const benchHeartbeatIntervalMs = 3_600_000;
/** The readAs parameters: AGENT_HEARTBEAT_INTERVAL × 3 and the status it reads as. */
const offline = [3 * benchHeartbeatIntervalMs, 'offline'] as const;
const agentSql = `${agentColumns} where "agents"."id" = $3 order by "agents"."id" ASC limit $4`;
const itemsSql =
  'select "id", "work_item_id", "work_type", "description", "priority", "team", "status", "claimed_by", "claimed_at", "completed_at", "payload", "result", "inserted_at", "updated_at", "inserted_at", "id" from "work_items" order by "work_items"."inserted_at" ASC, "work_items"."id" ASC limit $1';
const agentsInSql = `${agentColumns} where "agents"."id" = ANY($3) order by "agents"."id" ASC limit $4`;
/** The engine reads one row beyond a request's include budget (`page.maxIncluded`, 5,000 by default). */
const includeLimit = 5001;
const agentRow = (r: unknown[]): Row => ({ id: r[0], agent_id: r[1], status: r[2], capabilities: r[3], metadata: r[4], last_heartbeat: r[5], inserted_at: r[6], updated_at: r[7] });

function agentObject(origin: string, row: Row) {
  const id = String(row['id']);
  return {
    type: 'agent',
    id,
    attributes: {
      agent_id: row['agent_id'],
      status: row['status'],
      capabilities: row['capabilities'],
      metadata: row['metadata'],
      last_heartbeat: iso(row['last_heartbeat']),
      inserted_at: iso(row['inserted_at']),
      updated_at: iso(row['updated_at']),
    },
    relationships: { work_items: { links: { related: `${origin}/api/json/agents/${id}/work_items` } } },
    links: { self: `${origin}/api/json/agents/${id}` },
  };
}

function workItemObject(origin: string, row: Row) {
  const id = String(row['id']);
  const claimedBy = row['claimed_by'];
  return {
    type: 'work_item',
    id,
    attributes: {
      work_item_id: row['work_item_id'],
      work_type: row['work_type'],
      description: row['description'],
      priority: row['priority'],
      team: row['team'],
      status: row['status'],
      claimed_at: iso(row['claimed_at']),
      completed_at: iso(row['completed_at']),
      payload: row['payload'],
      result: row['result'],
      inserted_at: iso(row['inserted_at']),
      updated_at: iso(row['updated_at']),
    },
    relationships: {
      agent: {
        links: { self: `${origin}/api/json/work_items/${id}/relationships/agent`, related: `${origin}/api/json/work_items/${id}/agent` },
        data: typeof claimedBy === 'string' ? { type: 'agent', id: claimedBy } : null,
      },
    },
    links: { self: `${origin}/api/json/work_items/${id}` },
  };
}

const signature = createHash('sha256').update('inserted_at,id').digest('base64url').slice(0, 8);
const cursor = (row: Row): string => Buffer.from(JSON.stringify({ s: signature, v: [row['inserted_at'], row['id']] })).toString('base64url');

/** The baseline's pool: timestamps as PostgreSQL prints them (microseconds kept), like the engine. */
function rawPool(databaseUrl: string): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    options: '-c TimeZone=UTC',
    types: { getTypeParser: (oid, format) => (oid === 1184 ? (value: string) => value : pg.types.getTypeParser(oid, format)) },
  });
}

/** Where the `floor` server mounts the baseline's handlers inside our app (bench/jsonapi/server.ts). */
export const floorPrefix = '/bench/floor';

export interface RawHandlers {
  readonly agent: RouteHandlerMethod;
  readonly workItems: RouteHandlerMethod;
}

/** The hand-written handlers of the two benchmarked URLs, on their own pool. */
export function rawHandlers(databaseUrl: string): RawHandlers & { readonly pool: pg.Pool } {
  const pool = rawPool(databaseUrl);
  const agent: RouteHandlerMethod = async (request, reply) => {
    const origin = `${request.protocol}://${request.host}`;
    const id = (request.params as { id: string }).id;
    const { rows } = await pool.query({ name: 'raw_agent', text: agentSql, values: [...offline, id, 1], rowMode: 'array' });
    const [first] = rows;
    if (first === undefined) return reply.status(404).send();
    const row = agentRow(first);
    const self = `${origin}/api/json/agents/${id}`;
    return reply.type('application/vnd.api+json').send(JSON.stringify({ jsonapi: { version: '1.1' }, data: agentObject(origin, row), links: { self } }));
  };
  const workItems: RouteHandlerMethod = async (request, reply) => {
    const origin = `${request.protocol}://${request.host}`;
    const query = request.query as { page?: { limit?: string }; include?: string };
    const limit = Number(query.page?.limit ?? 50);
    const { rows: raw } = await pool.query({ name: 'raw_items', text: itemsSql, values: [limit + 1], rowMode: 'array' });
    const rows: Row[] = raw.map((r: unknown[]) => ({
      id: r[0], work_item_id: r[1], work_type: r[2], description: r[3], priority: r[4], team: r[5], status: r[6], claimed_by: r[7],
      claimed_at: r[8], completed_at: r[9], payload: r[10], result: r[11], inserted_at: r[12], updated_at: r[13],
    }));
    const page = rows.slice(0, limit);
    const agentIds = [...new Set(page.map((r) => r['claimed_by']).filter((v): v is string => typeof v === 'string'))];
    const agents = agentIds.length === 0 ? [] : (await pool.query({ name: 'raw_agents_in', text: agentsInSql, values: [...offline, agentIds, includeLimit], rowMode: 'array' })).rows.map(agentRow);
    const found = new Set(agents.map((a: Row) => String(a['id'])));
    const data = page.map((row) => {
      const object = workItemObject(origin, row);
      if (typeof row['claimed_by'] === 'string' && !found.has(row['claimed_by'])) object.relationships.agent.data = null;
      return object;
    });
    const last = page[page.length - 1];
    const base = `${origin}/api/json/work_items`;
    const document = {
      jsonapi: { version: '1.1' },
      data,
      included: agents.map((a: Row) => agentObject(origin, a)),
      links: {
        self: `${base}?${qs.stringify(request.query)}`,
        first: `${base}?${qs.stringify({ include: query.include, page: { limit } })}`,
        prev: null,
        next: rows.length > limit && last !== undefined ? `${base}?${qs.stringify({ include: query.include, page: { limit, after: cursor(last) } })}` : null,
      },
      meta: { page: { limit } },
    };
    return reply.type('application/vnd.api+json').send(JSON.stringify(document));
  };
  return { agent, workItems, pool };
}

/**
 * The baseline server: Fastify, the token lookup the engine's authentication runs (SHA-256 of the bearer token,
 * prepared) as its only hook, and the hand-written handlers.
 */
export function buildRawServer(databaseUrl: string): { app: FastifyInstance; pool: pg.Pool } {
  const handlers = rawHandlers(databaseUrl);
  const { pool } = handlers;
  const app = Fastify({ logger: false, routerOptions: { querystringParser: (q) => qs.parse(q) } });
  app.addHook('onRequest', async (request, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const hash = token === undefined ? '' : createHash('sha256').update(token).digest('hex');
    const { rows } = await pool.query({ name: 'raw_auth', text: authSql, values: [hash, 1], rowMode: 'array' });
    if (rows.length === 0) return reply.status(401).send({ errors: [{ status: '401', code: 'UNAUTHORIZED' }] });
  });
  app.get('/api/json/agents/:id', handlers.agent);
  app.get('/api/json/work_items', handlers.workItems);
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('content-type', 'application/vnd.api+json');
    return payload;
  });
  return { app, pool };
}
