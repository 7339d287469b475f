// Robustness of /api/json: whatever query string or body arrives, the answer is a JSON:API document with a 2xx or a
// 4xx and error objects, never a 500 and never a hang. Queries are built from the real parameter names (filters with
// operators and relationship paths, sort, include, fields, page) filled with hostile values, which reaches the query
// parser, the filter compiler and PostgreSQL; bodies are real write documents with members replaced by random JSON.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jsonApi, resource, type JsonApiResponse } from '../support/jsonapi.ts';
import { testAdminToken, testApp } from '../support/runtime.ts';
import { call } from '../coordination/support.ts';

let database: TestDatabase;
let app: FastifyInstance;
let agentId = '';
let workItemId = '';

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
  agentId = (await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', { agent_id: 'fuzz-agent', capabilities: ['build'] }))).body.data.id;
  workItemId = (await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'build', priority: 'high' }))).body.data.id;
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

/**
 * The property: a 2xx, or a 4xx whose document holds error objects, each with a code and a 4xx status (with several
 * problems the answer carries the most general status, e.g. 400 over a 422; JSON:API 1.1 §Error Processing).
 */
function answeredProperly(response: JsonApiResponse, request: string): void {
  expect(response.status, `${request} -> ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`).toBeLessThan(500);
  if (response.status < 400) return;
  const errors = (response.body?.errors ?? []) as { status?: string; code?: string }[];
  expect(errors.length, request).toBeGreaterThan(0);
  for (const error of errors) {
    expect(error.status, request).toMatch(/^4\d\d$/);
    expect(typeof error.code, request).toBe('string');
  }
}

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', ',', ',,', '-', '.', '..', 'null', 'NaN', '-1', '1e309', '99999999999999999999', '0x10', "'", '"', '\\', '%', '%00', '[', ']', '{}', '[]'),
  fc.constantFrom('2026-13-45T99:00:00Z', 'not-a-date', '00000000-0000-0000-0000-000000000000', 'agent_id', 'status', 'agent.agent_id', 'agent.work_items'),
  fc.integer().map(String),
  fc.double().map(String),
);

const parameterNames = fc.oneof(
  fc.constantFrom(
    'filter[status]', 'filter[priority]', 'filter[priority][gt]', 'filter[priority][in]', 'filter[inserted_at][lt]', 'filter[description][contains]',
    'filter[description][starts_with]', 'filter[description][is_nil]', 'filter[agent][agent_id]', 'filter[agent][capabilities][contains]',
    'filter[agent][nope]', 'filter[or][0][status]', 'filter[or][1][work_type]', 'filter[and][0][priority][not_eq]', 'filter[not][status]',
    'filter[payload]', 'filter[claimed_by][eq]', 'filter[id]', 'filter[status][bogus]', 'filter[capabilities][contains]', 'filter[agent_id]',
    'filter[event_name][contains]', 'filter[trace_id]', 'filter', 'sort', 'include', 'fields[work_item]', 'fields[agent]', 'fields[nope]', 'fields',
    'page[limit]', 'page[offset]', 'page[after]', 'page[before]', 'page[count]', 'page', 'page[limit][x]', 'sort[0]', 'include[]',
  ),
  fc.string().map((name) => `filter[${name}]`),
  fc.string(),
);

const queryString = fc.array(fc.tuple(parameterNames, hostile, fc.boolean()), { maxLength: 5 }).map((pairs) =>
  // Most pairs percent-encoded as a client would; some left raw, as a careless one would.
  pairs.map(([name, value, encode]) => (encode ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}` : `${name}=${value.replace(/[#\s&]/g, '')}`)).join('&'),
);

describe('JSON:API under hostile input', () => {
  it('answers every query string on every collection with a document, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/json/work_items', '/api/json/agents', '/api/json/telemetry_events', `/api/json/agents/{agent}/work_items`), queryString, async (base, query) => {
        const url = `${base.replace('{agent}', agentId)}?${query}`;
        answeredProperly(await jsonApi(app, 'GET', url), `GET ${url}`);
      }),
      { numRuns: 400 },
    );
  });

  it('answers hostile ids and relationship routes with a document, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom('', '/agent', '/relationships/agent', '/work_items', '/claim'), async (id, tail) => {
        const url = `/api/json/work_items/${encodeURIComponent(id)}${tail}`;
        answeredProperly(await jsonApi(app, 'GET', url), `GET ${url}`);
      }),
      { numRuns: 150 },
    );
  });

  it('answers write documents with random members with a document, never a 500', async () => {
    const member = fc.oneof(fc.jsonValue(), hostile, fc.constant(undefined));
    const writes = fc.record({
      type: member,
      id: member,
      attributes: fc.oneof(member, fc.dictionary(fc.constantFrom('work_type', 'priority', 'description', 'payload', 'team', 'status', 'claimed_by', 'id', 'nope'), member)),
      relationships: fc.oneof(member, fc.record({ agent: fc.oneof(member, fc.record({ data: fc.oneof(member, fc.record({ type: member, id: member })) })) })),
    });
    const targets = fc.constantFrom(
      ['POST', '/api/json/work_items'],
      ['POST', '/api/json/agents/register'],
      ['POST', '/api/json/telemetry_events'],
      ['PATCH', '/api/json/work_items/{item}/claim'],
      ['PATCH', '/api/json/work_items/{item}/relationships/agent'],
      ['PATCH', '/api/json/agents/{agent}'],
    ) as fc.Arbitrary<['POST' | 'PATCH', string]>;
    await fc.assert(
      fc.asyncProperty(targets, fc.oneof(writes.map((data) => ({ data })), fc.jsonValue()), async ([method, path], body) => {
        const url = path.replace('{item}', workItemId).replace('{agent}', agentId);
        answeredProperly(await jsonApi(app, method, url, body ?? null), `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)}`);
      }),
      { numRuns: 400 },
    );
  });

  it('answers atomic operations with random operations with a document, never a 500', async () => {
    const member = fc.oneof(fc.jsonValue(), hostile);
    const operation = fc.record(
      {
        op: fc.oneof(fc.constantFrom('add', 'update', 'remove'), member),
        href: fc.oneof(fc.constantFrom('/api/json/work_items', `/api/json/work_items/{item}/claim`, '/api/json/agents/register', '/api/json/nope'), member),
        ref: fc.oneof(member, fc.record({ type: member, id: member, lid: member, relationship: member }, { requiredKeys: [] })),
        data: fc.oneof(member, fc.record({ type: fc.oneof(fc.constantFrom('work_item', 'agent'), member), lid: member, attributes: member }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    );
    const headers = { 'content-type': 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', accept: 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"' };
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(operation, { maxLength: 4 }).map((ops) => ({ 'atomic:operations': ops })), fc.jsonValue()), async (body) => {
        const text = JSON.stringify(body ?? null).replaceAll('{item}', workItemId);
        answeredProperly(await jsonApi(app, 'POST', '/api/json/operations', text, headers), `POST /api/json/operations ${text.slice(0, 200)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('answers the coordination routes in their envelope, never a 500', async () => {
    const routes = fc.constantFrom(
      ['POST', '/api/coordination/agents/register'],
      ['PUT', '/api/coordination/agents/{id}/heartbeat'],
      ['POST', '/api/coordination/work_items'],
      ['PUT', '/api/coordination/work_items/{id}/claim'],
      ['PUT', '/api/coordination/work_items/{id}/complete'],
      ['POST', '/api/coordination/work_items/claim_next'],
      ['GET', '/api/coordination/work_items?status={id}&priority={id}&work_type={id}'],
    ) as fc.Arbitrary<['GET' | 'POST' | 'PUT', string]>;
    const bodies = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom('agent_id', 'work_type', 'priority', 'payload', 'capabilities', 'work_types', 'result', 'metadata', 'team'), fc.oneof(fc.jsonValue(), hostile)),
    );
    await fc.assert(
      fc.asyncProperty(routes, hostile, bodies, async ([method, path], id, body) => {
        const url = path.replaceAll('{id}', encodeURIComponent(id));
        const answer = await call(app, method, url, { token: testAdminToken, ...(method === 'GET' ? {} : { body }) });
        const request = `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)}`;
        expect(answer.status, `${request} -> ${answer.status} ${JSON.stringify(answer.body)}`).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.body, request).toMatchObject({ status: 'error', error: expect.any(String), message: expect.any(String) });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses U+0000, which PostgreSQL cannot store or compare, as a client error wherever it comes in', async () => {
    const viaQuery = await jsonApi(app, 'GET', '/api/json/work_items?filter[work_type]=a%00b');
    const viaPath = await call(app, 'PUT', '/api/coordination/agents/a%00b/heartbeat', { token: testAdminToken });
    const viaAttribute = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'a\u0000b' }));
    const viaMap = await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'build', payload: { note: 'a\u0000b' } }));
    expect([viaQuery.status, viaPath.status, viaAttribute.status, viaMap.status]).toEqual([400, 400, 400, 400]);
    expect(viaQuery.body.errors[0].detail).toContain('U+0000');
    expect(viaPath.body).toMatchObject({ status: 'error', error: 'bad_request' });
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM work_items WHERE work_type LIKE 'a%'`);
    expect(rows[0].n).toBe(0);
  });

  it('answers hostile Content-Type, Accept and Authorization headers with a document, never a 500', async () => {
    const mediaTypes = fc.oneof(
      hostile,
      fc.constantFrom(
        'application/vnd.api+json', 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', 'application/vnd.api+json; profile="x"',
        'application/vnd.api+json; charset=utf-8', 'application/vnd.api+json; ext=', 'application/vnd.api+json;;', 'application/json', '*/*',
        'application/vnd.api+json, application/vnd.api+json; ext="nope"', 'text/html;q=0.9, */*;q=0', 'application/vnd.api+json; q=0',
      ),
    );
    const authorization = fc.oneof(hostile, hostile.map((t) => `Bearer ${t}`), fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer ${testAdminToken}`));
    const printable = (value: string) => value.replace(/[^\x20-\x7e]/g, '');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST'), mediaTypes, mediaTypes, authorization, async (method, contentType, accept, auth) => {
        const headers = { 'content-type': printable(contentType), accept: printable(accept), authorization: printable(auth) };
        const body = method === 'POST' ? resource('work_item', { work_type: 'fuzz' }) : undefined;
        const response = await jsonApi(app, method as 'GET' | 'POST', '/api/json/work_items', body, headers);
        answeredProperly(response, `${method} ${JSON.stringify(headers)}`);
      }),
      { numRuns: 300 },
    );
  });
});
