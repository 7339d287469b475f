import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jsonApi } from '../support/jsonapi.ts';
import { testApp, testConfig } from '../support/runtime.ts';
import { call, registerAgent, submitWork } from './support.ts';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  // The default heartbeat interval (30 s): a fresh agent stays active for the whole test; the silent one is made
  // silent by moving its last heartbeat an hour back, so nothing here waits on time.
  app = await testApp(database, testConfig());
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('liveness through relationships', () => {
  it('work items see their agent as it reads (offline when silent) in filters and sorts by relationship path', async () => {
    const silent = await registerAgent(app, 'paths-silent');
    const alive = await registerAgent(app, 'paths-alive');
    // Submitted in this order, so work_item_id sorts the silent agent's item first.
    const silentItem = await submitWork(app, silent.token, { work_type: 'paths' });
    const aliveItem = await submitWork(app, alive.token, { work_type: 'paths' });
    expect((await call(app, 'PUT', `/api/coordination/work_items/${silentItem.workItemId}/claim`, { token: silent.token })).status).toBe(200);
    expect((await call(app, 'PUT', `/api/coordination/work_items/${aliveItem.workItemId}/claim`, { token: alive.token })).status).toBe(200);
    await database.pool.query(`UPDATE agents SET last_heartbeat = now() - interval '1 hour' WHERE id = $1`, [silent.id]);
    // Stored, both agents are still active: only the read derives offline.
    const { rows } = await database.pool.query('SELECT DISTINCT status FROM agents WHERE id = ANY($1)', [[silent.id, alive.id]]);
    expect(rows).toEqual([{ status: 'active' }]);

    const ids = (body: { data: { id: string }[] }) => body.data.map((d) => d.id);
    const offline = await jsonApi(app, 'GET', '/api/json/work_items?filter[work_type]=paths&filter[agent][status]=offline');
    expect(ids(offline.body)).toEqual([silentItem.id]);
    // offline sorts after active (one_of order); descending puts it first, although the tiebreak would not.
    const sorted = await jsonApi(app, 'GET', '/api/json/work_items?filter[work_type]=paths&sort=-agent.status,-work_item_id&include=agent');
    expect(ids(sorted.body)).toEqual([silentItem.id, aliveItem.id]);
    expect(sorted.body.included.find((a: { id: string }) => a.id === silent.id).attributes.status).toBe('offline');
  });
});
