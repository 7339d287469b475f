import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { errorCodes, jsonApi, resource, validated } from '../support/jsonapi.ts';
import { testApp } from '../support/runtime.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
  expect(validated.count).toBeGreaterThan(5);
});

const atomic = {
  'content-type': 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"',
  accept: 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"',
  authorization: 'Bearer test-admin-token-0123456789',
};
const operations = (ops: unknown[]) => jsonApi(app, 'POST', '/api/json/operations', { 'atomic:operations': ops }, atomic);
const count = async (table: string): Promise<number> => Number((await database.pool.query(`SELECT count(*) FROM ${table}`)).rows[0]?.count);

describe('Atomic Operations', () => {
  it('adds, refers by lid, runs an action by href and updates, all in one request', async () => {
    const response = await operations([
      { op: 'add', data: { type: 'agent', lid: 'a1', attributes: { agent_id: 'atomic-agent' } } },
      { op: 'add', data: { type: 'work_item', lid: 'w1', attributes: { work_type: 'build' } } },
      { op: 'update', ref: { type: 'work_item', lid: 'w1', relationship: 'agent' }, data: { type: 'agent', lid: 'a1' } },
    ]);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers['content-type']).toContain('ext="https://jsonapi.org/ext/atomic"');
    const [agent, item, linked] = response.body['atomic:results'];
    expect(agent.data).toMatchObject({ type: 'agent', attributes: { agent_id: 'atomic-agent' } });
    expect(item.data.attributes.status).toBe('pending');
    expect(linked).toEqual({});
    const stored = await jsonApi(app, 'GET', `/api/json/work_items/${item.data.id}`);
    expect(stored.body.data).toMatchObject({ attributes: { status: 'claimed' }, relationships: { agent: { data: { id: agent.data.id } } } });

    const started = await operations([{ op: 'update', href: `/api/json/work_items/${item.data.id}/start` }]);
    expect(started.body['atomic:results'][0].data.attributes.status).toBe('in_progress');
  });

  it('is all or nothing: a failing operation rolls back the earlier ones and is named by its index', async () => {
    const before = await count('work_items');
    const response = await operations([
      { op: 'add', data: { type: 'work_item', attributes: { work_type: 'first' } } },
      { op: 'add', data: { type: 'work_item', attributes: { work_type: 'second' } } },
      { op: 'add', data: { type: 'work_item', attributes: { work_type: 'third', priority: 'urgent' } } },
    ]);
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ code: 'VALIDATION_FAILED', source: { pointer: '/atomic:operations/2/data/attributes/priority' }, meta: { operation: 2 } });
    expect(await count('work_items')).toBe(before);
  });

  it('a state conflict in the middle rolls everything back too', async () => {
    const item = (await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'x' }))).body.data;
    const agents = await count('agents');
    const response = await operations([
      { op: 'add', data: { type: 'agent', attributes: {} } },
      { op: 'update', href: `/api/json/work_items/${item.id}/complete`, data: { type: 'work_item', attributes: { result: {} } } },
    ]);
    expect(response.status).toBe(409);
    expect(response.body.errors[0]).toMatchObject({ code: 'STATE_CONFLICT', source: { pointer: '/atomic:operations/1/data/attributes/status' } });
    expect(await count('agents')).toBe(agents);
  });

  it('removes, and answers 204 when no operation returns data', async () => {
    const item = (await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'gone' }))).body.data;
    const response = await app.inject({ method: 'POST', url: '/api/json/operations', headers: atomic, payload: { 'atomic:operations': [{ op: 'remove', ref: { type: 'work_item', id: item.id } }] } });
    expect(response.statusCode).toBe(204);
    expect((await jsonApi(app, 'GET', `/api/json/work_items/${item.id}`)).status).toBe(404);
  });

  it.each([
    ['no operations', { 'atomic:operations': [] }, 'INVALID_BODY'],
    ['not a list', { 'atomic:operations': {} }, 'INVALID_BODY'],
    ['an unknown op', { 'atomic:operations': [{ op: 'upsert' }] }, 'INVALID_BODY'],
    ['an unknown lid', { 'atomic:operations': [{ op: 'remove', ref: { type: 'work_item', lid: 'nope' } }] }, 'INVALID_BODY'],
    ['an href no route has', { 'atomic:operations': [{ op: 'update', href: '/api/json/robots/1' }] }, 'INVALID_BODY'],
    ['too many operations', { 'atomic:operations': Array.from({ length: 101 }, () => ({ op: 'add', data: { type: 'agent' } })) }, 'TOO_MANY_OPERATIONS'],
  ])('%s is 400', async (_case, body, code) => {
    const response = await jsonApi(app, 'POST', '/api/json/operations', body, atomic);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual([code]);
  });

  it('needs the atomic extension in the Content-Type (415 otherwise)', async () => {
    const response = await jsonApi(app, 'POST', '/api/json/operations', { 'atomic:operations': [{ op: 'add', data: { type: 'agent' } }] });
    expect(response.status).toBe(415);
  });
});
