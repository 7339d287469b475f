import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { testAdminToken } from '../../test/support/runtime.ts';
import type { ProjectWorld } from '../support/world.ts';

const headers = { 'content-type': 'application/vnd.api+json', accept: 'application/vnd.api+json' };

/** Requests go as the named agent (its bearer token), or as the admin when no agent is named. */
async function call(world: ProjectWorld, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, as?: string) {
  const token = as === undefined ? testAdminToken : world.named.get(`token:${as}`);
  const response = await world.requireApp().inject({
    method,
    url,
    headers: { ...headers, authorization: `Bearer ${token ?? ''}` },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  world.last = { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
  return world.last;
}

const idOf = (world: ProjectWorld, name: string): string => {
  const id = world.named.get(name);
  assert.ok(id !== undefined, `nothing named ${name} yet`);
  return id;
};
const dataOf = (answer: { body: unknown }) => (answer.body as { data: { id: string; attributes: Record<string, unknown>; relationships: Record<string, { data: { id: string } | null }> } }).data;

Given('the coordination server is running on a fresh database', async function (this: ProjectWorld) {
  await this.startApp();
});

Given('agent {string} registers with capabilities {string}', async function (this: ProjectWorld, name: string, capabilities: string) {
  const answer = await call(this, 'POST', '/api/json/agents/register', { data: { type: 'agent', attributes: { agent_id: name, capabilities: capabilities.split(', ') } } });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  this.named.set(name, dataOf(answer).id);
  this.named.set(`token:${name}`, (answer.body as { meta: { token: string } }).meta.token);
});

Given('work of type {string} with priority {string} is submitted as {string}', async function (this: ProjectWorld, type: string, priority: string, name: string) {
  const answer = await call(this, 'POST', '/api/json/work_items', { data: { type: 'work_item', attributes: { work_type: type, priority } } });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  this.named.set(name, dataOf(answer).id);
});

/** The agent claims with its own token: it claims as itself. */
const claim = (world: ProjectWorld, agent: string, item: string) => call(world, 'PATCH', `/api/json/work_items/${idOf(world, item)}/claim`, undefined, agent);

Given('agent {string} claims {string}', async function (this: ProjectWorld, agent: string, item: string) {
  await claim(this, agent, item);
});

When('{string} is completed', async function (this: ProjectWorld, item: string) {
  await call(this, 'PATCH', `/api/json/work_items/${idOf(this, item)}/complete`, { data: { type: 'work_item', attributes: { result: {} } } });
});

When('agents {string} and {string} claim {string} at the same time', async function (this: ProjectWorld, first: string, second: string, item: string) {
  const answers = await Promise.all([claim(this, first, item), claim(this, second, item)]);
  this.last = { status: 0, body: answers };
});

When('the pending {string} work is listed by priority, highest first', async function (this: ProjectWorld, type: string) {
  await call(this, 'GET', `/api/json/work_items?filter[status]=pending&filter[work_type]=${type}&sort=-priority`);
});

When('work is submitted with priority {string} and no work type', async function (this: ProjectWorld, priority: string) {
  await call(this, 'POST', '/api/json/work_items', { data: { type: 'work_item', attributes: { priority } } });
});

Then('the answer is {int}', function (this: ProjectWorld, status: number) {
  assert.equal(this.last?.status, status, JSON.stringify(this.last?.body));
});

Then('the answer is {int} with the error {string}', function (this: ProjectWorld, status: number, detail: string) {
  assert.equal(this.last?.status, status);
  assert.equal((this.last?.body as { errors: { detail: string }[] }).errors[0]?.detail, detail);
});

Then('{string} is {string} by {string}', async function (this: ProjectWorld, item: string, status: string, agent: string) {
  const data = dataOf(await call(this, 'GET', `/api/json/work_items/${idOf(this, item)}`));
  assert.equal(data.attributes['status'], status);
  assert.equal(data.relationships['agent']?.data?.id, idOf(this, agent));
});

Then('listing work items with their agent included shows {string} claimed by {string}', async function (this: ProjectWorld, item: string, agent: string) {
  const answer = await call(this, 'GET', '/api/json/work_items?include=agent');
  const body = answer.body as { data: { id: string; relationships: { agent: { data: { id: string } | null } } }[]; included: { id: string; attributes: { agent_id: string } }[] };
  const row = body.data.find((d) => d.id === idOf(this, item));
  const included = body.included.find((o) => o.id === row?.relationships.agent.data?.id);
  assert.equal(included?.attributes.agent_id, agent);
});

Then('exactly one claim succeeds and the other is refused with {int} {string}', function (this: ProjectWorld, status: number, detail: string) {
  const answers = this.last?.body as { status: number; body: { errors?: { detail: string }[] } }[];
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, status]);
  assert.equal(answers.find((a) => a.status === status)?.body.errors?.[0]?.detail, detail);
});

Then('the list is {string}', function (this: ProjectWorld, names: string) {
  const ids = (this.last?.body as { data: { id: string }[] }).data.map((d) => d.id);
  assert.deepEqual(ids, names.split(', ').map((name) => idOf(this, name)));
});

Then('there are errors at {string} and {string}', function (this: ProjectWorld, first: string, second: string) {
  const pointers = (this.last?.body as { errors: { source?: { pointer?: string } }[] }).errors.map((e) => e.source?.pointer).sort();
  assert.deepEqual(pointers, [first, second].sort());
});

Then('the registration answer carries a bearer token for {string}', function (this: ProjectWorld, name: string) {
  assert.match(this.named.get(`token:${name}`) ?? '', /^ssa_/);
});

Then('{string} can send a heartbeat with its token', async function (this: ProjectWorld, name: string) {
  const answer = await call(this, 'PATCH', `/api/json/agents/${idOf(this, name)}/heartbeat`, undefined, name);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
});

Then('the agents list shows no token or token hash', async function (this: ProjectWorld) {
  const answer = await call(this, 'GET', '/api/json/agents');
  const attributes = (answer.body as { data: { attributes: Record<string, unknown> }[] }).data.map((d) => Object.keys(d.attributes)).flat();
  assert.ok(!attributes.some((name) => name.includes('token')), attributes.join(', '));
});

When('the agents are listed without a token', async function (this: ProjectWorld) {
  const response = await this.requireApp().inject({ method: 'GET', url: '/api/json/agents' });
  this.last = { status: response.statusCode, body: { document: response.json() as unknown, authenticate: response.headers['www-authenticate'] } };
});

When('the agents are listed with the token {string}', async function (this: ProjectWorld, token: string) {
  const response = await this.requireApp().inject({ method: 'GET', url: '/api/json/agents', headers: { authorization: `Bearer ${token}` } });
  this.last = { status: response.statusCode, body: { document: response.json() as unknown, authenticate: response.headers['www-authenticate'] } };
});

Then('the answer is 401 asking for a Bearer token', function (this: ProjectWorld) {
  assert.equal(this.last?.status, 401);
  assert.match(String((this.last?.body as { authenticate: string }).authenticate), /^Bearer /);
});

When('agent {string} tries to start {string}', async function (this: ProjectWorld, agent: string, item: string) {
  await call(this, 'PATCH', `/api/json/work_items/${idOf(this, item)}/start`, undefined, agent);
});
