import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { errorCodes, jsonApi, jsonApiHeaders, resource, validated } from '../support/jsonapi.ts';
import { testApp } from '../support/runtime.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url, { poolSize: 20 });
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
  expect(validated.count).toBeGreaterThan(40);
});

const registerAgent = async (attributes: Record<string, unknown> = {}) => (await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', attributes))).body.data;
const submitWork = async (attributes: Record<string, unknown> = {}) =>
  (await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'build', ...attributes }))).body.data;
const claim = (itemId: string, agentId: string) =>
  jsonApi(app, 'PATCH', `/api/json/work_items/${itemId}/claim`, { data: { type: 'work_item', id: itemId, relationships: { agent: { data: { type: 'agent', id: agentId } } } } });

describe('create', () => {
  it('is 201 with Location and the created resource', async () => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'build', priority: 'critical', payload: { repo: 'x' } }));
    expect(response.status).toBe(201);
    expect(response.headers['location']).toBe(`http://localhost:80/api/json/work_items/${response.body.data.id}`);
    expect(response.body.data).toMatchObject({ type: 'work_item', attributes: { work_type: 'build', priority: 'critical', status: 'pending', payload: { repo: 'x' } } });
    expect(response.body.data.attributes.work_item_id).toMatch(/^work_\d{19}$/);
    expect(response.body.data.relationships.agent.data).toBeNull();
    expect(response.body.links.self).toBe(response.headers['location']);
  });

  it('refuses a member outside the action accept list with 400 pointing at it', async () => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'build', status: 'completed' }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ status: '400', code: 'INPUT_NOT_ACCEPTED', source: { pointer: '/data/attributes/status' } })]);
  });

  it('is 422 for a missing required attribute and for a value outside one_of, each with its pointer', async () => {
    const missing = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { priority: 'high' }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ code: 'VALIDATION_FAILED', source: { pointer: '/data/attributes/work_type' } });
    const enumValue = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'b', priority: 'urgent' }));
    expect(enumValue.status).toBe(422);
    expect(enumValue.body.errors[0]).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'priority must be one of low, medium, high, critical',
      source: { pointer: '/data/attributes/priority' },
    });
  });

  it('reports every problem at once, with the most general status', async () => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { status: 'x', priority: 'urgent', payload: 'nope' }));
    expect(response.status).toBe(400);
    expect(errorCodes(response).sort()).toEqual(['INPUT_NOT_ACCEPTED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect(response.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer).sort()).toEqual([
      '/data/attributes/payload',
      '/data/attributes/priority',
      '/data/attributes/status',
      '/data/attributes/work_type',
    ]);
  });

  it('is 409 when the type does not belong to the endpoint', async () => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', resource('agent', { work_type: 'b' }));
    expect(response.status).toBe(409);
    expect(response.body.errors[0]).toMatchObject({ code: 'TYPE_MISMATCH', source: { pointer: '/data/type' } });
  });

  it.each([
    ['not JSON', '{"data":'],
    ['not a document', '[1,2]'],
    ['no data', '{"meta":{}}'],
    ['unknown top-level member', '{"data":{"type":"work_item","attributes":{"work_type":"x"}},"extra":1}'],
  ])('is 400 for a body that is %s', async (_case, payload) => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', payload);
    expect(response.status).toBe(400);
    expect(errorCodes(response)[0]).toMatch(/^(INVALID_BODY)$/);
  });

  it('refuses client-generated ids with 403', async () => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', { data: { type: 'work_item', id: '00000000-0000-4000-8000-000000000000', attributes: { work_type: 'x' } } });
    expect(response.status).toBe(403);
    expect(errorCodes(response)).toEqual(['CLIENT_ID_NOT_ALLOWED']);
  });

  it('maps a unique violation to 409 on the identity attribute', async () => {
    await registerAgent({ agent_id: 'agent-taken' });
    const response = await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', { agent_id: 'agent-taken' }));
    expect(response.status).toBe(409);
    expect(response.body.errors[0]).toMatchObject({ code: 'CONFLICT', source: { pointer: '/data/attributes/agent_id' } });
  });
});

describe('updates and actions', () => {
  it('PATCH /:id runs the declared update (update_status) and answers 200 with the document', async () => {
    const agent = await registerAgent();
    const response = await jsonApi(app, 'PATCH', `/api/json/agents/${agent.id}`, { data: { type: 'agent', id: agent.id, attributes: { status: 'idle' } } });
    expect(response.status).toBe(200);
    expect(response.body.data.attributes.status).toBe('idle');
  });

  it('PATCH /:id with an id that differs from the URL is 409', async () => {
    const agent = await registerAgent();
    const response = await jsonApi(app, 'PATCH', `/api/json/agents/${agent.id}`, { data: { type: 'agent', id: '00000000-0000-4000-8000-000000000000', attributes: { status: 'idle' } } });
    expect(response.status).toBe(409);
    expect(response.body.errors[0]).toMatchObject({ code: 'TYPE_MISMATCH', source: { pointer: '/data/id' } });
  });

  it('the four transitions run through their routes; heartbeat needs no body', async () => {
    const agent = await registerAgent();
    const item = await submitWork();
    expect((await claim(item.id, agent.id)).body.data).toMatchObject({ attributes: { status: 'claimed' }, relationships: { agent: { data: { type: 'agent', id: agent.id } } } });
    expect((await jsonApi(app, 'PATCH', `/api/json/work_items/${item.id}/start`)).body.data.attributes.status).toBe('in_progress');
    const done = await jsonApi(app, 'PATCH', `/api/json/work_items/${item.id}/complete`, { data: { type: 'work_item', attributes: { result: { ok: true } } } });
    expect(done.body.data.attributes).toMatchObject({ status: 'completed', result: { ok: true } });
    const beat = await jsonApi(app, 'PATCH', `/api/json/agents/${agent.id}/heartbeat`);
    expect(beat.status).toBe(200);
    const other = await submitWork();
    await claim(other.id, agent.id);
    expect((await jsonApi(app, 'PATCH', `/api/json/work_items/${other.id}/fail`, { data: { type: 'work_item', attributes: { result: { error: 'x' } } } })).body.data.attributes.status).toBe('failed');
  });

  it('a transition that does not apply is 409 with the action message, and the record is unchanged', async () => {
    const item = await submitWork();
    const response = await jsonApi(app, 'PATCH', `/api/json/work_items/${item.id}/complete`, { data: { type: 'work_item', attributes: { result: {} } } });
    expect(response.status).toBe(409);
    expect(response.body.errors[0]).toMatchObject({ code: 'STATE_CONFLICT', detail: 'Work item must be in progress to complete', source: { pointer: '/data/attributes/status' } });
    expect((await jsonApi(app, 'GET', `/api/json/work_items/${item.id}`)).body.data.attributes).toMatchObject({ status: 'pending', result: {} });
  });

  it('concurrent claims of one item through the API: exactly one 200, the others 409', async () => {
    const agents = await Promise.all(Array.from({ length: 12 }, () => registerAgent()));
    const item = await submitWork();
    const statuses = (await Promise.all(agents.map((a) => claim(item.id, a.id)))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(11).fill(409)]);
  });

  it('claiming with an agent that does not exist is 404 pointing at the relationship', async () => {
    const item = await submitWork();
    const response = await claim(item.id, '00000000-0000-4000-8000-000000000000');
    expect(response.status).toBe(404);
    expect(response.body.errors[0]).toMatchObject({ code: 'RELATED_RESOURCE_NOT_FOUND', source: { pointer: '/data/relationships/agent' } });
  });

  it('the relationship route reads and sets the claimant', async () => {
    const agent = await registerAgent();
    const item = await submitWork();
    const empty = await jsonApi(app, 'GET', `/api/json/work_items/${item.id}/relationships/agent`);
    expect(empty.body).toMatchObject({ data: null, links: { self: `http://localhost:80/api/json/work_items/${item.id}/relationships/agent`, related: `http://localhost:80/api/json/work_items/${item.id}/agent` } });
    const set = await jsonApi(app, 'PATCH', `/api/json/work_items/${item.id}/relationships/agent`, { data: { type: 'agent', id: agent.id } });
    expect(set.status).toBe(200);
    expect(set.body.data).toEqual({ type: 'agent', id: agent.id });
    const again = await jsonApi(app, 'PATCH', `/api/json/work_items/${item.id}/relationships/agent`, { data: { type: 'agent', id: agent.id } });
    expect(again.status).toBe(409);
  });
});

describe('delete', () => {
  it('is 204 with no body, then 404', async () => {
    const item = await submitWork();
    const response = await app.inject({ method: 'DELETE', url: `/api/json/work_items/${item.id}`, headers: { authorization: jsonApiHeaders['authorization'] ?? '' } });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const gone = await jsonApi(app, 'GET', `/api/json/work_items/${item.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]).toMatchObject({ code: 'RESOURCE_NOT_FOUND', detail: `No work_item with id "${item.id}"` });
  });
});
