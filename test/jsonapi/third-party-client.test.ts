import type { FastifyInstance } from 'fastify';
import Jsona from 'jsona';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testAdminToken, testApp } from '../support/runtime.ts';

/**
 * Jsona, a JSON:API (de)serializer we did not write, driving the running server over real HTTP: it builds the
 * request documents (types, attributes, relationships) and resolves `included` into nested objects.
 */
let database: TestDatabase;
let app: FastifyInstance;
let base = '';
const jsona = new Jsona();
type Model = Record<string, unknown> & { id: string; type: string };

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/api/json`;
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

async function call(method: string, path: string, model?: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json', authorization: `Bearer ${testAdminToken}` },
    ...(model === undefined ? {} : { body: JSON.stringify(jsona.serialize({ stuff: model })) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}
const models = (body: unknown) => jsona.deserialize(body as string) as Model | Model[];

describe('a third-party JSON:API client', () => {
  it('creates, lists with include, updates and deletes', async () => {
    const registered = await call('POST', '/agents/register', { type: 'agent', agent_id: 'jsona-agent', capabilities: ['build'] });
    expect(registered.status).toBe(201);
    const agent = models(registered.body) as Model;
    expect(agent).toMatchObject({ type: 'agent', agent_id: 'jsona-agent', capabilities: ['build'] });

    const submitted = await call('POST', '/work_items', { type: 'work_item', work_type: 'compile', priority: 'high' });
    const item = models(submitted.body) as Model;
    expect(item).toMatchObject({ type: 'work_item', work_type: 'compile', status: 'pending' });

    const claim = { type: 'work_item', id: item.id, agent: { type: 'agent', id: agent.id }, relationshipNames: ['agent'] };
    const claimed = await call('PATCH', `/work_items/${item.id}/claim`, claim);
    expect(claimed.status).toBe(200);

    const listed = models((await call('GET', '/work_items?include=agent&filter[work_type]=compile')).body) as Model[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: item.id, status: 'claimed', agent: { type: 'agent', id: agent.id, agent_id: 'jsona-agent' } });

    const updated = models((await call('PATCH', `/agents/${agent.id}`, { type: 'agent', id: agent.id, status: 'idle', metadata: { via: 'jsona' } })).body) as Model;
    expect(updated).toMatchObject({ status: 'idle', metadata: { via: 'jsona' } });

    const withWork = models((await call('GET', `/agents/${agent.id}?include=work_items`)).body) as Model;
    expect((withWork['work_items'] as Model[]).map((w) => w.id)).toEqual([item.id]);

    expect((await call('DELETE', `/work_items/${item.id}`)).status).toBe(204);
    expect((await call('GET', `/work_items/${item.id}`)).status).toBe(404);
  });
});
