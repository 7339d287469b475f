import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testAdminToken, testApp, testConfig } from '../support/runtime.ts';
import { call, registerAgent, submitWork } from './support.ts';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database, testConfig({ MAX_CONCURRENT_WORK: '2' }));
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

const limitMessage = 'Agent already holds MAX_CONCURRENT_WORK claimed or in-progress work items';

describe('MAX_CONCURRENT_WORK', () => {
  it('refuses a claim beyond the limit with 409 and Retry-After, on claim and claim-next alike, until one is finished', async () => {
    const agent = await registerAgent(app, 'limit-agent');
    const items = [];
    for (let i = 0; i < 4; i += 1) items.push(await submitWork(app, agent.token, { work_type: 'limit' }));
    const claimNext = () => call(app, 'POST', '/api/coordination/work_items/claim_next', { token: agent.token, body: { work_types: ['limit'] } });
    const first = await claimNext();
    const second = await claimNext();
    expect([first.status, second.status]).toEqual([200, 200]);
    await call(app, 'PUT', `/api/coordination/work_items/${first.body.data.work_item_id}/start`, { token: agent.token });

    const third = await claimNext();
    expect(third.status).toBe(409);
    expect(third.headers['retry-after']).toBe('1');
    expect(third.body).toMatchObject({ status: 'error', error: 'state_conflict', message: limitMessage });
    const pendingId = items.map((i) => i.workItemId).find((id) => id !== first.body.data.work_item_id && id !== second.body.data.work_item_id);
    const direct = await call(app, 'PUT', `/api/coordination/work_items/${pendingId}/claim`, { token: agent.token });
    expect(direct.status).toBe(409);
    expect(direct.body.message).toBe(limitMessage);

    await call(app, 'PUT', `/api/coordination/work_items/${first.body.data.work_item_id}/complete`, { token: agent.token });
    expect((await claimNext()).status).toBe(200);
  });

  it('holds under concurrency: 10 simultaneous claim-next calls by one agent take exactly the limit', async () => {
    const agent = await registerAgent(app, 'limit-racer');
    for (let i = 0; i < 10; i += 1) await submitWork(app, agent.token, { work_type: 'limit_race' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call(app, 'POST', '/api/coordination/work_items/claim_next', { token: agent.token, body: { work_types: ['limit_race'] } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, ...Array<number>(8).fill(409)]);
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM work_items WHERE claimed_by = $1', [agent.id]);
    expect(rows[0].n).toBe(2);
  });

  it('counts per agent: another agent still claims', async () => {
    const other = await registerAgent(app, 'limit-other');
    await submitWork(app, other.token, { work_type: 'limit_other' });
    const claimed = await call(app, 'POST', '/api/coordination/work_items/claim_next', { token: other.token, body: { work_types: ['limit_other'] } });
    expect(claimed.status).toBe(200);
  });

  it('binds an admin too: assigning work to an agent at the limit is 409 and changes nothing; another agent can still be assigned', async () => {
    const busy = await registerAgent(app, 'limit-assigned');
    const idle = await registerAgent(app, 'limit-assigned-idle');
    const items = [];
    for (let i = 0; i < 3; i += 1) items.push(await submitWork(app, busy.token, { work_type: 'limit_assign' }));
    const assign = (workItemId: string, agentId: string) =>
      call(app, 'PUT', `/api/coordination/work_items/${workItemId}/claim`, { token: testAdminToken, body: { agent_id: agentId } });
    const [a, b, c] = items.map((i) => i.workItemId);
    if (a === undefined || b === undefined || c === undefined) throw new Error('three items expected');
    expect((await assign(a, busy.agentId)).status).toBe(200);
    expect((await assign(b, busy.agentId)).status).toBe(200);

    const refused = await assign(c, busy.agentId);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(limitMessage);
    const { rows } = await database.pool.query('SELECT status, claimed_by FROM work_items WHERE work_item_id = $1', [c]);
    expect(rows[0]).toEqual({ status: 'pending', claimed_by: null });

    const other = await assign(c, idle.agentId);
    expect(other.status).toBe(200);
    expect(other.body.data.claimed_by_id).toBe(idle.id);
  });

  it('holds for concurrent admin assignments to one agent: exactly the limit is assigned', async () => {
    const agent = await registerAgent(app, 'limit-assign-race');
    const items = [];
    for (let i = 0; i < 6; i += 1) items.push(await submitWork(app, agent.token, { work_type: 'limit_assign_race' }));
    const answers = await Promise.all(
      items.map((item) => call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: testAdminToken, body: { agent_id: agent.agentId } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 409, 409, 409, 409]);
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM work_items WHERE claimed_by = $1', [agent.id]);
    expect(rows[0].n).toBe(2);
  });
});
