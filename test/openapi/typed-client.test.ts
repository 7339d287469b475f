import type { FastifyInstance } from 'fastify';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { components, paths } from '../../openapi/openapi-types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp } from '../support/runtime.ts';

/**
 * An integrator's view: types generated from the committed document (openapi-typescript, `npm run codegen`) and
 * openapi-fetch, against a server listening on a real port. `npm run typecheck` checks this file against those types.
 */
let database: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('a typed client generated from the document', () => {
  it('registers an agent, submits work, claims, starts and completes it', async () => {
    // Comma lists for include/sort/fields, as the document's style: form, explode: false says.
    const client = createClient<paths>({ baseUrl, querySerializer: { array: { style: 'form', explode: false } } });

    const registered = await client.POST('/api/json/agents/register', {
      body: { data: { type: 'agent', attributes: { agent_id: 'typed-client-1', capabilities: ['build'] } } },
    });
    expect(registered.response.status).toBe(201);
    const token = registered.data?.meta?.['token'];
    expect(typeof token).toBe('string');
    const agentId = registered.data?.data.id ?? '';
    const auth = { headers: { authorization: `Bearer ${String(token)}` } };

    const submitted = await client.POST('/api/json/work_items', {
      ...auth,
      body: { data: { type: 'work_item', attributes: { work_type: 'compile', priority: 'high', payload: { velocity_points: 3 } } } },
    });
    expect(submitted.response.status).toBe(201);
    const id = submitted.data?.data.id ?? '';
    expectTypeOf(submitted.data?.data.attributes?.priority).toEqualTypeOf<'low' | 'medium' | 'high' | 'critical' | undefined>();

    const claimed = await client.PATCH('/api/json/work_items/{id}/claim', { ...auth, params: { path: { id } } });
    expect(claimed.data?.data.attributes?.status).toBe('claimed');
    expect(claimed.data?.data.relationships?.agent?.data).toEqual({ type: 'agent', id: agentId });

    const again = await client.PATCH('/api/json/work_items/{id}/claim', { ...auth, params: { path: { id } } });
    expect(again.response.status).toBe(409);
    expect(again.error?.errors[0]?.code).toBe('STATE_CONFLICT');

    const started = await client.PATCH('/api/json/work_items/{id}/start', { ...auth, params: { path: { id } } });
    expect(started.data?.data.attributes?.status).toBe('in_progress');

    const completed = await client.PATCH('/api/json/work_items/{id}/complete', {
      ...auth,
      params: { path: { id } },
      body: { data: { type: 'work_item', attributes: { result: { artifact: 'build.tar' } } } },
    });
    expect(completed.data?.data.attributes?.status).toBe('completed');

    const listed = await client.GET('/api/json/work_items', { ...auth, params: { query: { include: ['agent'], sort: ['-priority'], 'page[count]': 'true' } } });
    expect(listed.data?.meta.page.total).toBe(1);
    const included: components['schemas']['Agent'] | components['schemas']['WorkItem'] | undefined = listed.data?.included?.[0];
    expect(included?.type).toBe('agent');

    const status = await client.GET('/api/coordination/status', auth);
    expect(status.data?.data.work.by_status.completed).toBe(1);
  });
});
