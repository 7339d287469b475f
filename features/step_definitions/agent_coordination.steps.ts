import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { startLeaseSweeper } from '../../src/coordination/lease-sweeper.ts';
import { eventually, testAdminToken, testAuth } from '../../test/support/runtime.ts';
import type { ProjectWorld } from '../support/world.ts';

type Answer = { status: number; headers: Record<string, unknown>; body: { status: string; data?: Record<string, unknown>; message?: string } | undefined };

/** A /api/coordination call as agent N (its token), or as the admin. */
async function call(world: ProjectWorld, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, agent?: number): Promise<Answer> {
  const token = agent === undefined ? testAdminToken : world.named.get(`token:agent-${agent}`);
  const response = await world.requireApp().inject({
    method,
    url,
    headers: { authorization: `Bearer ${token ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const answer = { status: response.statusCode, headers: response.headers, body: response.body === '' ? undefined : (response.json() as Answer['body']) };
  world.last = answer;
  return answer;
}

const requirePool = (world: ProjectWorld) => {
  assert.ok(world.pool !== undefined, 'no server started');
  return world.pool;
};

const named = (world: ProjectWorld, name: string): string => {
  const value = world.named.get(name);
  assert.ok(value !== undefined, `nothing named ${name} yet`);
  return value;
};

Given('the coordination server is running', async function (this: ProjectWorld) {
  await this.startApp();
});

Given('the coordination server is running with MAX_CONCURRENT_WORK {int}', async function (this: ProjectWorld, limit: number) {
  await this.startApp({ MAX_CONCURRENT_WORK: String(limit) });
});

Given('the coordination server is running with heartbeats expected every {int} ms', async function (this: ProjectWorld, ms: number) {
  await this.startApp({ AGENT_HEARTBEAT_INTERVAL: String(ms) });
});

Given('the coordination server is running with a lease of {int} ms swept every {int} ms', async function (this: ProjectWorld, lease: number, every: number) {
  // Heartbeats are expected four times per lease, so a silent agent reads offline before its claims expire.
  const app = await this.startApp({ WORK_CLAIM_TIMEOUT: String(lease), AGENT_HEARTBEAT_INTERVAL: String(Math.max(1, Math.floor(lease / 4))) });
  const sweeper = startLeaseSweeper({ db: app.db, registry: app.registry, leaseMs: lease, intervalMs: every, origin: app.instanceId, log: { info: () => undefined, warn: () => undefined } });
  this.stops.push(() => sweeper.stop());
});

Given('the coordination server is running with the event bus', async function (this: ProjectWorld) {
  await this.startApp({}, { bus: true });
});

Given('{int} agents are registered', async function (this: ProjectWorld, count: number) {
  for (let n = 1; n <= count; n += 1) {
    const answer = await call(this, 'POST', '/api/coordination/agents/register', { agent_id: `agent-${n}` });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    this.named.set(`agent-${n}`, String(answer.body?.data?.['id']));
    this.named.set(`token:agent-${n}`, String(answer.body?.data?.['token']));
  }
});

const submit = async (world: ProjectWorld, body: Record<string, string>, name: string): Promise<void> => {
  const answer = await call(world, 'POST', '/api/coordination/work_items', body, 1);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  world.named.set(name, String(answer.body?.data?.['work_item_id']));
};

Given('work of type {string} is submitted as {string}', async function (this: ProjectWorld, type: string, name: string) {
  await submit(this, { work_type: type }, name);
});

Given('work of type {string} for team {string} with priority {string} is submitted as {string}', async function (this: ProjectWorld, type: string, team: string, priority: string, name: string) {
  await submit(this, { work_type: type, team, priority }, name);
});

Given('{int} items of type {string} are submitted', async function (this: ProjectWorld, count: number, type: string) {
  for (let n = 1; n <= count; n += 1) await submit(this, { work_type: type }, `${type}-${n}`);
});

When('all {int} agents claim {string} at the same time', async function (this: ProjectWorld, count: number, item: string) {
  const id = named(this, item);
  const answers = await Promise.all(Array.from({ length: count }, (_, i) => call(this, 'PUT', `/api/coordination/work_items/${id}/claim`, undefined, i + 1)));
  this.named.set('answers', JSON.stringify(answers));
});

Then('exactly {int} claim succeeds and {int} are refused with 409 and a Retry-After', function (this: ProjectWorld, winners: number, losers: number) {
  const answers = JSON.parse(named(this, 'answers')) as Answer[];
  assert.equal(answers.filter((a) => a.status === 200).length, winners);
  const refused = answers.filter((a) => a.status === 409);
  assert.equal(refused.length, losers);
  for (const answer of refused) {
    assert.equal(answer.headers['retry-after'], '1');
    assert.deepEqual([answer.body?.status, answer.body?.message], ['error', 'Work item must be pending to be claimed']);
  }
  const winner = answers.find((a) => a.status === 200);
  this.named.set('winner', String(winner?.body?.data?.['claimed_by_id']));
});

Then('the claim of {string} is recorded in telemetry with the winning agent', async function (this: ProjectWorld, item: string) {
  const { rows } = await requirePool(this).query(
    `SELECT metadata FROM telemetry_events WHERE event_name = ARRAY['coordination','work','claimed'] AND metadata->'record'->>'work_item_id' = $1`,
    [named(this, item)],
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0].metadata.actor.id, named(this, 'winner'));
});

When('agent {int} claims the next {string} work {int} times', async function (this: ProjectWorld, agent: number, type: string, times: number) {
  const answers: Answer[] = [];
  for (let n = 0; n < times; n += 1) answers.push(await call(this, 'POST', '/api/coordination/work_items/claim_next', { work_types: [type] }, agent));
  this.named.set('answers', JSON.stringify(answers));
});

When('the operator assigns the {int} {string} items to agent {int}', async function (this: ProjectWorld, count: number, type: string, agent: number) {
  const answers: Answer[] = [];
  for (let n = 1; n <= count; n += 1) {
    answers.push(await call(this, 'PUT', `/api/coordination/work_items/${named(this, `${type}-${n}`)}/claim`, { agent_id: `agent-${agent}` }));
  }
  this.named.set('answers', JSON.stringify(answers));
});

Then('it got {string} and then nothing', function (this: ProjectWorld, names: string) {
  const answers = JSON.parse(named(this, 'answers')) as Answer[];
  const expected = names.split(', ').map((name) => named(this, name));
  assert.deepEqual(answers.slice(0, -1).map((a) => a.body?.data?.['id']), expected);
  assert.equal(answers.at(-1)?.status, 204);
});

Then('the first {int} claims succeed and the last is refused with 409 {string}', function (this: ProjectWorld, granted: number, message: string) {
  const answers = JSON.parse(named(this, 'answers')) as Answer[];
  assert.deepEqual(answers.map((a) => a.status), [...Array<number>(granted).fill(200), 409]);
  assert.equal(answers.at(-1)?.body?.message, message);
});

Given('agent {int} claims {string}', async function (this: ProjectWorld, agent: number, item: string) {
  const answer = await call(this, 'PUT', `/api/coordination/work_items/${named(this, item)}/claim`, undefined, agent);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
});

When('agent {int} stops sending heartbeats', function (this: ProjectWorld, agent: number) {
  // Nothing to do: agents here only heartbeat when a step says so.
  assert.ok(this.named.has(`agent-${agent}`));
});

When('agent {int} sends a heartbeat', async function (this: ProjectWorld, agent: number) {
  const answer = await call(this, 'PUT', `/api/coordination/agents/agent-${agent}/heartbeat`, undefined, agent);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
});

Then('agent {int} is listed as {string}', async function (this: ProjectWorld, agent: number, status: string) {
  const listed = async () => {
    const answer = await call(this, 'GET', '/api/coordination/agents');
    return (answer.body?.data as unknown as { agent_id: string; status: string }[]).find((a) => a.agent_id === `agent-${agent}`)?.status;
  };
  await eventually(async () => (await listed()) === status, { intervalMs: 50 });
});

Then('{string} is pending again and unclaimed', async function (this: ProjectWorld, item: string) {
  const read = async () => (await call(this, 'GET', `/api/coordination/work_items?status=pending`)).body?.data as unknown as { work_item_id: string; claimed_by: string | null }[];
  await eventually(async () => (await read()).some((w) => w.work_item_id === named(this, item) && w.claimed_by === null), { intervalMs: 50 });
});

Then('a {string} event was recorded for {string}', async function (this: ProjectWorld, event: string, item: string) {
  const { rows } = await requirePool(this).query(`SELECT count(*)::int AS n FROM telemetry_events WHERE event_name = $1 AND metadata->>'work_item_id' = $2`, [event.split('.'), named(this, item)]);
  assert.equal(rows[0].n, 1);
});

Then('agent {int} can claim {string}', async function (this: ProjectWorld, agent: number, item: string) {
  const answer = await call(this, 'PUT', `/api/coordination/work_items/${named(this, item)}/claim`, undefined, agent);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body?.data?.['claimed_by'], `agent-${agent}`);
});

When('the coordination status is read', async function (this: ProjectWorld) {
  await call(this, 'GET', '/api/coordination/status');
});

Then('it shows {int} active agents, {int} pending and {int} claimed item, and a health score of {int}', function (this: ProjectWorld, agents: number, pending: number, claimed: number, score: number) {
  const data = this.last?.body as unknown as { data: { agents: { active: number }; work: { by_status: Record<string, number> }; health_score: number } };
  assert.equal(data.data.agents.active, agents);
  assert.equal(data.data.work.by_status['pending'], pending);
  assert.equal(data.data.work.by_status['claimed'], claimed);
  assert.equal(data.data.health_score, score);
});

Then('the metrics count {int} claim for team {string}, work type {string} and priority {string}', async function (this: ProjectWorld, count: number, team: string, type: string, priority: string) {
  const series = `self_sustaining_work_claims_total{team="${team}",work_type="${type}",priority="${priority}"} `;
  const scrape = async () => {
    const response = await this.requireApp().inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${testAuth.scraperTokens[0] ?? ''}` } });
    return response.body.split('\n').find((line) => line.startsWith(series))?.slice(series.length);
  };
  await eventually(async () => (await scrape()) === String(count), { intervalMs: 50 });
});
