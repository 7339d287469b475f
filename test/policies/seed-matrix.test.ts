import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jsonApi, type JsonApiResponse } from '../support/jsonapi.ts';
import { testAdminToken, testApp, testAuth, testConfig } from '../support/runtime.ts';

/**
 * Every action of every seed resource, as each kind of actor: anonymous, the owning agent, another agent, a collector
 * and the admin. A denial changes nothing in the database (a digest of every table is compared).
 */
type Who = 'anonymous' | 'owner' | 'other' | 'collector' | 'admin';
const everyone: readonly Who[] = ['anonymous', 'owner', 'other', 'collector', 'admin'];

let database: TestDatabase;
let app: FastifyInstance;
let adminOnlyApp: FastifyInstance;
const tokens = new Map<Who, string>();
const ids = new Map<'owner' | 'other', string>();

const bearer = (who: Who): Record<string, string> => {
  if (who === 'anonymous') return { authorization: '' };
  if (who === 'admin') return { authorization: `Bearer ${testAdminToken}` };
  if (who === 'collector') return { authorization: `Bearer ${testAuth.collectorTokens[0] ?? ''}` };
  return { authorization: `Bearer ${tokens.get(who) ?? ''}` };
};
const as = (who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, target = app): Promise<JsonApiResponse> =>
  jsonApi(target, method, url, body, bearer(who));

async function digest(): Promise<string> {
  const hash = createHash('sha256');
  for (const table of ['agents', 'work_items', 'telemetry_events']) {
    const { rows } = await database.pool.query(`SELECT * FROM ${table} ORDER BY id`);
    hash.update(JSON.stringify(rows));
  }
  return hash.digest('hex');
}

async function registerAgent(name: string): Promise<{ id: string; token: string }> {
  const response = await as('anonymous', 'POST', '/api/json/agents/register', { data: { type: 'agent', attributes: { agent_id: name } } });
  expect(response.status).toBe(201);
  return { id: response.body.data.id, token: response.body.meta.token };
}

/** A fresh work item in the given state, claimed by the owning agent when it is past pending. */
async function workItem(state: 'pending' | 'claimed' | 'in_progress'): Promise<string> {
  const item = (await as('admin', 'POST', '/api/json/work_items', { data: { type: 'work_item', attributes: { work_type: 'build' } } })).body.data.id as string;
  if (state !== 'pending') await as('owner', 'PATCH', `/api/json/work_items/${item}/claim`);
  if (state === 'in_progress') await as('owner', 'PATCH', `/api/json/work_items/${item}/start`);
  return item;
}

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  // The owning agent claims an item in many cases: lift MAX_CONCURRENT_WORK out of the way.
  app = await testApp(database, testConfig({ MAX_CONCURRENT_WORK: '1000' }));
  adminOnlyApp = await testApp(database, testConfig(), { ...testAuth, agentRegistration: 'admin' });
  for (const who of ['owner', 'other'] as const) {
    const agent = await registerAgent(`matrix-${who}`);
    tokens.set(who, agent.token);
    ids.set(who, agent.id);
  }
});
afterAll(async () => {
  await app.close();
  await adminOnlyApp.close();
  await database.drop();
});

interface Case {
  readonly name: string;
  readonly expected: Readonly<Record<Who, number>>;
  /** Sets up fresh state and returns the request to make. */
  readonly request: () => Promise<{ method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; body?: unknown; target?: FastifyInstance }>;
}

const owner = () => ids.get('owner') ?? '';
const cases: readonly Case[] = [
  { name: 'agent: list', expected: { anonymous: 401, owner: 200, other: 200, collector: 200, admin: 200 }, request: async () => ({ method: 'GET', url: '/api/json/agents' }) },
  { name: 'agent: get', expected: { anonymous: 401, owner: 200, other: 200, collector: 200, admin: 200 }, request: async () => ({ method: 'GET', url: `/api/json/agents/${owner()}` }) },
  { name: 'agent: related work items', expected: { anonymous: 401, owner: 200, other: 200, collector: 200, admin: 200 }, request: async () => ({ method: 'GET', url: `/api/json/agents/${owner()}/work_items` }) },
  {
    name: 'agent: register (AGENT_REGISTRATION=open)',
    expected: { anonymous: 201, owner: 201, other: 201, collector: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: '/api/json/agents/register', body: { data: { type: 'agent', attributes: {} } } }),
  },
  {
    name: 'agent: register (AGENT_REGISTRATION=admin)',
    expected: { anonymous: 401, owner: 403, other: 403, collector: 403, admin: 201 },
    request: async () => ({ method: 'POST', url: '/api/json/agents/register', body: { data: { type: 'agent', attributes: {} } }, target: adminOnlyApp }),
  },
  {
    name: 'agent: update_status',
    expected: { anonymous: 401, owner: 200, other: 403, collector: 403, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/json/agents/${owner()}`, body: { data: { type: 'agent', id: owner(), attributes: { status: 'idle' } } } }),
  },
  { name: 'agent: heartbeat', expected: { anonymous: 401, owner: 200, other: 403, collector: 403, admin: 200 }, request: async () => ({ method: 'PATCH', url: `/api/json/agents/${owner()}/heartbeat` }) },
  {
    name: 'agent: destroy',
    expected: { anonymous: 401, owner: 403, other: 403, collector: 403, admin: 204 },
    request: async () => ({ method: 'DELETE', url: `/api/json/agents/${(await registerAgent(`doomed-${Math.random()}`)).id}` }),
  },
  {
    name: 'agent: rotate_token',
    expected: { anonymous: 401, owner: 403, other: 403, collector: 403, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/json/agents/${(await registerAgent(`rotated-${Math.random()}`)).id}/rotate_token` }),
  },
  { name: 'work_item: list', expected: { anonymous: 401, owner: 200, other: 200, collector: 200, admin: 200 }, request: async () => ({ method: 'GET', url: '/api/json/work_items' }) },
  {
    name: 'work_item: submit',
    expected: { anonymous: 401, owner: 201, other: 201, collector: 403, admin: 201 },
    request: async () => ({ method: 'POST', url: '/api/json/work_items', body: { data: { type: 'work_item', attributes: { work_type: 'x' } } } }),
  },
  {
    name: 'work_item: claim',
    expected: { anonymous: 401, owner: 200, other: 200, collector: 403, admin: 200 },
    request: async () => {
      const item = await workItem('pending');
      return { method: 'PATCH', url: `/api/json/work_items/${item}/claim`, body: { data: { type: 'work_item', relationships: { agent: { data: { type: 'agent', id: owner() } } } } } };
    },
  },
  { name: 'work_item: start', expected: { anonymous: 401, owner: 200, other: 403, collector: 403, admin: 200 }, request: async () => ({ method: 'PATCH', url: `/api/json/work_items/${await workItem('claimed')}/start` }) },
  {
    name: 'work_item: complete',
    expected: { anonymous: 401, owner: 200, other: 403, collector: 403, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/json/work_items/${await workItem('in_progress')}/complete`, body: { data: { type: 'work_item', attributes: { result: {} } } } }),
  },
  { name: 'work_item: fail', expected: { anonymous: 401, owner: 200, other: 403, collector: 403, admin: 200 }, request: async () => ({ method: 'PATCH', url: `/api/json/work_items/${await workItem('claimed')}/fail` }) },
  { name: 'work_item: destroy', expected: { anonymous: 401, owner: 403, other: 403, collector: 403, admin: 204 }, request: async () => ({ method: 'DELETE', url: `/api/json/work_items/${await workItem('pending')}` }) },
  { name: 'telemetry_event: list', expected: { anonymous: 401, owner: 200, other: 200, collector: 200, admin: 200 }, request: async () => ({ method: 'GET', url: '/api/json/telemetry_events' }) },
  {
    name: 'telemetry_event: record',
    expected: { anonymous: 401, owner: 201, other: 201, collector: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: '/api/json/telemetry_events', body: { data: { type: 'telemetry_event', attributes: { event_name: ['test', 'matrix'] } } } }),
  },
];

describe('the seed policies, action by actor', () => {
  it.each(cases.flatMap((c) => everyone.map((who) => [c.name, who, c] as const)))('%s as %s', async (_name, who, c) => {
    const { method, url, body, target } = await c.request();
    const before = await digest();
    const response = await as(who, method, url, body, target);
    expect(response.status, JSON.stringify(response.body)).toBe(c.expected[who]);
    if (response.status >= 400) {
      expect(await digest()).toBe(before);
      if (response.status === 401) expect(response.headers['www-authenticate']).toBe('Bearer realm="self-sustaining"');
      if (response.status === 403) expect(response.body.errors[0]).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('an agent claiming names itself, whatever claimed_by the body says', async () => {
    const item = await workItem('pending');
    const response = await as('other', 'PATCH', `/api/json/work_items/${item}/claim`, {
      data: { type: 'work_item', relationships: { agent: { data: { type: 'agent', id: owner() } } } },
    });
    expect(response.body.data.relationships.agent.data.id).toBe(ids.get('other'));
  });

  it('a write refused by policy says why', async () => {
    const response = await as('other', 'PATCH', `/api/json/work_items/${await workItem('claimed')}/start`);
    expect(response.body.errors[0]).toMatchObject({ status: '403', code: 'FORBIDDEN', detail: 'Only the claiming agent may do this' });
  });
});
