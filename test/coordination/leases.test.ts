import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLeaseSweeper } from '../../src/coordination/lease-sweeper.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jsonApi } from '../support/jsonapi.ts';
import { eventually, seedRegistry, testApp, testConfig } from '../support/runtime.ts';
import { call, registerAgent, submitWork } from './support.ts';

let database: TestDatabase;
let app: FastifyInstance;

// Heartbeats every 100 ms are expected, so an agent reads offline 300 ms after its last one.
const heartbeatMs = 100;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database, testConfig({ AGENT_HEARTBEAT_INTERVAL: String(heartbeatMs) }));
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

const statusOf = async (workItemIds: readonly string[]): Promise<Map<string, { status: string; claimed_by: string | null; claimed_at: string | null }>> => {
  const { rows } = await database.pool.query('SELECT work_item_id, status, claimed_by, claimed_at FROM work_items WHERE work_item_id = ANY($1)', [workItemIds]);
  return new Map(rows.map((r) => [r.work_item_id, r]));
};

/** Heartbeats `token`'s agent every heartbeatMs / 2 until stopped. */
function keepAlive(agentId: string, token: string): () => void {
  const timer = setInterval(() => void call(app, 'PUT', `/api/coordination/agents/${agentId}/heartbeat`, { token }), heartbeatMs / 2);
  return () => clearInterval(timer);
}

describe('liveness', () => {
  it('reads an agent as offline in every read once it misses three heartbeats, and active again after one', async () => {
    const agent = await registerAgent(app, 'liveness-agent');
    const agentStatus = async () => (await call(app, 'GET', '/api/coordination/agents', { token: agent.token })).body.data.find((a: { agent_id: string }) => a.agent_id === 'liveness-agent')?.status;
    expect(await agentStatus()).toBe('active');
    await eventually(async () => (await agentStatus()) === 'offline', { intervalMs: 50 });
    // Not a sweep: the stored row still says active; the read derives offline, in filters and single reads too.
    const { rows } = await database.pool.query(`SELECT status FROM agents WHERE agent_id = 'liveness-agent'`);
    expect(rows[0].status).toBe('active');
    const offline = await call(app, 'GET', '/api/coordination/agents?status=offline', { token: agent.token });
    expect(offline.body.data.map((a: { agent_id: string }) => a.agent_id)).toContain('liveness-agent');
    expect((await jsonApi(app, 'GET', `/api/json/agents/${agent.id}`)).body.data.attributes.status).toBe('offline');
    expect((await jsonApi(app, 'GET', '/api/json/agents?filter[status]=active')).body.data.map((a: { id: string }) => a.id)).not.toContain(agent.id);

    const beat = await call(app, 'PUT', '/api/coordination/agents/liveness-agent/heartbeat', { token: agent.token });
    expect(beat.body.data.status).toBe('active');
    expect(await agentStatus()).toBe('active');
  });
});

describe('leases', () => {
  it('returns expired claims to pending exactly once with two sweepers, and keeps the claims of agents that heartbeat', async () => {
    const registry = await seedRegistry();
    const silent = await registerAgent(app, 'lease-silent');
    const alive = await registerAgent(app, 'lease-alive');
    const stopAlive = keepAlive(alive.agentId, alive.token);
    const silentItems: string[] = [];
    const aliveItems: string[] = [];
    for (let i = 0; i < 8; i += 1) silentItems.push((await submitWork(app, silent.token, { work_type: 'lease', team: 'lease_team' })).workItemId);
    for (let i = 0; i < 4; i += 1) aliveItems.push((await submitWork(app, alive.token, { work_type: 'lease' })).workItemId);
    // (MAX_CONCURRENT_WORK is 10: every claim here must be granted.)
    for (const id of silentItems) expect((await call(app, 'PUT', `/api/coordination/work_items/${id}/claim`, { token: silent.token })).status).toBe(200);
    // Leases cover in-progress work too.
    for (const id of silentItems.slice(0, 4)) await call(app, 'PUT', `/api/coordination/work_items/${id}/start`, { token: silent.token });
    for (const id of aliveItems) expect((await call(app, 'PUT', `/api/coordination/work_items/${id}/claim`, { token: alive.token })).status).toBe(200);

    // Two "processes": two pools, two sweepers racing on the same rows.
    const pools = [createPool({ connectionString: database.url, max: 2, onError: () => undefined }), createPool({ connectionString: database.url, max: 2, onError: () => undefined })];
    const log = { info: () => undefined, warn: () => undefined };
    const sweepers = pools.map((pool, i) => startLeaseSweeper({ db: createDatabase(pool), registry, leaseMs: 1000, intervalMs: 20, origin: `sweeper-${i}`, log }));
    try {
      await eventually(async () => [...(await statusOf(silentItems)).values()].every((r) => r.status === 'pending'), { intervalMs: 50 });
      const released = await statusOf(silentItems);
      expect([...released.values()].every((r) => r.claimed_by === null && r.claimed_at === null)).toBe(true);
      // The heartbeating agent's claims are just as old, and were swept over many times: still claimed.
      const kept = await statusOf(aliveItems);
      expect([...kept.values()].map((r) => [r.status, r.claimed_by])).toEqual(aliveItems.map(() => ['claimed', alive.id]));

      const { rows } = await database.pool.query(
        `SELECT metadata->>'work_item_id' AS work_item_id, count(*)::int AS n FROM telemetry_events
         WHERE event_name = ARRAY['coordination','work','claim_expired'] GROUP BY 1`,
      );
      expect(new Map(rows.map((r) => [r.work_item_id, r.n]))).toEqual(new Map(silentItems.map((id) => [id, 1])));

      // The old claimant lost the item: it can be claimed anew, and the old claimant cannot complete it.
      const [first] = silentItems;
      const reclaimed = await call(app, 'PUT', `/api/coordination/work_items/${first}/claim`, { token: alive.token });
      expect(reclaimed.body.data.claimed_by).toBe('lease-alive');
      const stale = await call(app, 'PUT', `/api/coordination/work_items/${first}/fail`, { token: silent.token });
      expect(stale.status).toBe(403);

      // Once the live agent stops heartbeating, its claims expire as well.
      stopAlive();
      await eventually(async () => [...(await statusOf(aliveItems)).values()].every((r) => r.status === 'pending'), { intervalMs: 50 });
    } finally {
      stopAlive();
      await Promise.all(sweepers.map((s) => s.stop()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
