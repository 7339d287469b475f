import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp, testConfig } from '../support/runtime.ts';
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
});
