import { drizzle } from 'drizzle-orm/node-postgres';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { errorCodes, jsonApi, resource, validated } from '../support/jsonapi.ts';
import { testApp } from '../support/runtime.ts';

let database: TestDatabase;
let app: FastifyInstance;
const statements: string[] = [];
const agents: { id: string; agent_id: string }[] = [];
const items: { id: string; work_type: string; priority: string; status: string; claimed_by: string | null }[] = [];
const priorities = ['low', 'medium', 'high', 'critical'] as const;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  // The app's queries are logged, so tests can count them.
  app = await testApp({ pool: database.pool, db: drizzle({ client: database.pool, logger: { logQuery: (q) => statements.push(q) } }) });
  for (const [i, capabilities] of [['build', 'test'], ['build'], ['deploy']].entries()) {
    const response = await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', { agent_id: `agent-${i}`, capabilities }));
    agents.push({ id: response.body.data.id, agent_id: `agent-${i}` });
  }
  for (let i = 0; i < 30; i += 1) {
    const attributes = { work_type: i % 3 === 0 ? 'deploy' : 'build', priority: priorities[i % 4], description: i % 5 === 0 ? `nightly run ${i}` : null };
    const created = (await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', attributes))).body.data;
    let claimedBy: string | null = null;
    if (i % 2 === 0) {
      claimedBy = agents[i % 3]?.id ?? null;
      await jsonApi(app, 'PATCH', `/api/json/work_items/${created.id}/claim`, { data: { type: 'work_item', relationships: { agent: { data: { type: 'agent', id: claimedBy } } } } });
    }
    items.push({ id: created.id, work_type: attributes.work_type, priority: attributes.priority ?? 'low', status: claimedBy === null ? 'pending' : 'claimed', claimed_by: claimedBy });
  }
});
afterAll(async () => {
  await app.close();
  await database.drop();
  expect(validated.count).toBeGreaterThan(60);
});

const get = (url: string) => jsonApi(app, 'GET', url);
/** A link as the path it points to, brackets decoded for readable assertions. */
const local = (link: string): string => decodeURIComponent(link.replace(/^http:\/\/localhost:80/, ''));
const ids = (response: { body: { data: { id: string }[] } }) => response.body.data.map((d) => d.id);
const sorted = (list: string[]) => [...list].sort();

/** Follows links.next from `url` to the end, returning every id seen, in order. */
async function walk(url: string): Promise<string[]> {
  const seen: string[] = [];
  let next: string | null = url;
  for (let pages = 0; next !== null; pages += 1) {
    if (pages > 100) throw new Error('paging did not end');
    const response = await get(local(next));
    expect(response.status).toBe(200);
    seen.push(...ids(response));
    next = response.body.links.next;
  }
  return seen;
}

describe('documents', () => {
  it('a collection has data, links (self, first, prev, next) and meta, and no included unless asked', async () => {
    const response = await get('/api/json/work_items?page[limit]=10');
    expect(response.status).toBe(200);
    expect(response.body.jsonapi).toEqual({ version: '1.1' });
    expect(response.body.data).toHaveLength(10);
    expect(response.body).not.toHaveProperty('included');
    expect(local(response.body.links.self)).toBe('/api/json/work_items?page[limit]=10');
    expect(local(response.body.links.first)).toBe('/api/json/work_items?page[limit]=10');
    expect(response.body.links.prev).toBeNull();
    expect(local(response.body.links.next)).toMatch(/page\[after\]=/);
    expect(response.body.meta).toEqual({ page: { limit: 10 } });
    const object = response.body.data[0];
    expect(Object.keys(object).sort()).toEqual(['attributes', 'id', 'links', 'relationships', 'type']);
    expect(object.attributes).not.toHaveProperty('claimed_by');
    expect(object.links.self).toBe(`http://localhost:80/api/json/work_items/${object.id}`);
  });

  it('a single resource; a missing one is 404', async () => {
    const item = items[0];
    const response = await get(`/api/json/work_items/${item?.id}`);
    expect(response.body.data).toMatchObject({ id: item?.id, relationships: { agent: { data: { type: 'agent', id: item?.claimed_by } } } });
    const missing = await get('/api/json/work_items/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(errorCodes(missing)).toEqual(['RESOURCE_NOT_FOUND']);
  });
});

describe('filter', () => {
  const filtered = async (query: string) => sorted(ids(await get(`/api/json/work_items?page[limit]=500&${query}`)));
  const expected = (predicate: (item: (typeof items)[number]) => boolean) => sorted(items.filter(predicate).map((i) => i.id));

  it.each([
    ['filter[status]=claimed', (i: (typeof items)[number]) => i.status === 'claimed'],
    ['filter[priority]=high,critical', (i: (typeof items)[number]) => i.priority === 'high' || i.priority === 'critical'],
    ['filter[priority][in]=low,medium', (i: (typeof items)[number]) => i.priority === 'low' || i.priority === 'medium'],
    ['filter[priority][not_in]=low,medium', (i: (typeof items)[number]) => i.priority !== 'low' && i.priority !== 'medium'],
    ['filter[work_type][not_eq]=build', (i: (typeof items)[number]) => i.work_type !== 'build'],
    ['filter[claimed_by][is_nil]=true', (i: (typeof items)[number]) => i.claimed_by === null],
    ['filter[work_type][starts_with]=dep', (i: (typeof items)[number]) => i.work_type === 'deploy'],
    ['filter[work_type][contains]=uil', (i: (typeof items)[number]) => i.work_type === 'build'],
    ['filter[agent][agent_id]=agent-1', (i: (typeof items)[number]) => i.claimed_by === agents[1]?.id],
    ['filter[or][0][priority]=low&filter[or][1][status]=pending', (i: (typeof items)[number]) => i.priority === 'low' || i.status === 'pending'],
    ['filter[not][work_type]=build&filter[status]=claimed', (i: (typeof items)[number]) => i.work_type !== 'build' && i.status === 'claimed'],
    ['filter[and][0][status]=claimed&filter[and][1][priority]=high', (i: (typeof items)[number]) => i.status === 'claimed' && i.priority === 'high'],
  ])('%s', async (query, predicate) => {
    const result = await filtered(query);
    expect(result.length).toBeGreaterThan(0);
    expect(result).toEqual(expected(predicate));
  });

  it('compares datetimes', async () => {
    const all = (await get('/api/json/work_items?page[limit]=500')).body.data;
    const middle = all[15].attributes.inserted_at;
    const later = await filtered(`filter[inserted_at][gt]=${encodeURIComponent(middle)}`);
    expect(later).toEqual(sorted(all.filter((d: { attributes: { inserted_at: string } }) => d.attributes.inserted_at > middle).map((d: { id: string }) => d.id)));
  });

  it('array contains, and to-many relationship paths', async () => {
    const builders = sorted(ids(await get('/api/json/agents?filter[capabilities]=build')));
    expect(builders).toEqual(sorted([agents[0]?.id ?? '', agents[1]?.id ?? '']));
    const both = ids(await get('/api/json/agents?filter[capabilities][contains]=build,test'));
    expect(both).toEqual([agents[0]?.id]);
    const withCritical = sorted(ids(await get('/api/json/agents?filter[work_items][priority]=critical')));
    expect(withCritical).toEqual(sorted([...new Set(items.filter((i) => i.priority === 'critical' && i.claimed_by !== null).map((i) => String(i.claimed_by)))]));
  });

  it.each([
    ['filter[nope]=1', 'filter[nope]'],
    ['filter[status][between]=a', 'filter[status][between]'],
    ['filter[status]=unknown', 'filter[status]'],
    ['filter[inserted_at][gt]=yesterday', 'filter[inserted_at][gt]'],
    ['filter[payload][contains]=x', 'filter[payload][contains]'],
    ['filter[agent][nope]=x', 'filter[agent][nope]'],
    ['filter=abc', 'filter'],
  ])('%s is 400 naming the parameter, never a 500', async (query, parameter) => {
    const response = await get(`/api/json/work_items?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ code: 'INVALID_FILTER', source: { parameter } });
  });
});

describe('sort', () => {
  it('several keys, descending, atoms by their declared order, the primary key last', async () => {
    const data = (await get('/api/json/work_items?sort=-priority,work_type&page[limit]=500')).body.data;
    const order = data.map((d: { attributes: { priority: string; work_type: string } }) => `${priorities.indexOf(d.attributes.priority as 'low')}:${d.attributes.work_type}`);
    const expectedOrder = [...order].sort((a: string, b: string) => Number(b.split(':')[0]) - Number(a.split(':')[0]) || a.split(':')[1]?.localeCompare(b.split(':')[1] ?? '') || 0);
    expect(order).toEqual(expectedOrder);
    expect(data[0].attributes.priority).toBe('critical');
  });

  it('through a to-one relationship (agent.agent_id), unclaimed items last', async () => {
    const data = (await get('/api/json/work_items?sort=agent.agent_id&page[limit]=500')).body.data;
    const claimants = data.map((d: { relationships: { agent: { data: { id: string } | null } } }) => agents.find((a) => a.id === d.relationships.agent.data?.id)?.agent_id ?? '~');
    expect(claimants).toEqual([...claimants].sort());
  });

  it.each(['nope', 'payload', 'work_items.status', 'agent.nope'])('sort=%s is 400', async (key) => {
    const response = await get(`/api/json/work_items?sort=${key}`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ code: 'INVALID_SORT', source: { parameter: 'sort' } });
  });
});

describe('pagination', () => {
  it('following links.next by cursor visits every row exactly once, for any sort (ties broken by id)', async () => {
    for (const sort of ['', '&sort=-priority', '&sort=work_type,-priority', '&sort=agent.agent_id', '&sort=description']) {
      const seen = await walk(`/api/json/work_items?page[limit]=7${sort}`);
      expect(seen).toHaveLength(items.length);
      expect(new Set(seen).size).toBe(items.length);
    }
  });

  it('links.prev from a cursor page leads back to the previous page', async () => {
    const first = await get('/api/json/work_items?page[limit]=5&sort=-priority');
    const second = await get(local(first.body.links.next));
    const back = await get(local(second.body.links.prev));
    expect(ids(back)).toEqual(ids(first));
  });

  it('offset paging with a count: meta.page.total, last, and a next that is null at the end', async () => {
    const response = await get('/api/json/work_items?page[limit]=8&page[offset]=8&page[count]=true&filter[status]=claimed');
    expect(response.body.meta.page).toEqual({ limit: 8, offset: 8, total: 15 });
    expect(local(response.body.links.prev)).toBe('/api/json/work_items?filter[status]=claimed&page[limit]=8&page[offset]=0&page[count]=true');
    expect(response.body.links.next).toBeNull();
    expect(local(response.body.links.last)).toBe('/api/json/work_items?filter[status]=claimed&page[limit]=8&page[offset]=8&page[count]=true');
    expect(response.body.data).toHaveLength(7);
  });

  it('the default page size is 50 and larger limits are clamped to the maximum (500)', async () => {
    expect((await get('/api/json/work_items?page[limit]=100000')).body.meta.page.limit).toBe(500);
    expect((await get('/api/json/work_items')).body.meta.page.limit).toBe(50);
  });

  it.each([
    ['page=5', 'page'],
    ['page[limit]=0', 'page[limit]'],
    ['page[size]=10', 'page[size]'],
    ['page[after]=not-a-cursor', 'page[after]'],
    ['page[count]=maybe', 'page[count]'],
  ])('%s is 400', async (query, parameter) => {
    const response = await get(`/api/json/work_items?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ code: 'INVALID_PAGE', source: { parameter } });
  });

  it('a cursor made under another sort is refused', async () => {
    const next = (await get('/api/json/work_items?page[limit]=5&sort=-priority')).body.links.next as string;
    const response = await get(local(next).replace('sort=-priority', 'sort=work_type'));
    expect(response.status).toBe(400);
  });
});

describe('include and sparse fieldsets', () => {
  it('includes the related records once, with linkage, one query per relationship level', async () => {
    statements.length = 0;
    const response = await get('/api/json/work_items?include=agent.work_items&page[limit]=500');
    expect(statements).toHaveLength(3);
    const included = response.body.included as { type: string; id: string }[];
    const keys = included.map((o) => `${o.type}:${o.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(included.filter((o) => o.type === 'agent').map((o) => o.id).sort()).toEqual(sorted(agents.map((a) => a.id)));
    // Primary data is never repeated in included, even where agent.work_items leads back to it.
    expect(included.filter((o) => o.type === 'work_item')).toHaveLength(0);
    const agent = included.find((o) => o.type === 'agent' && o.id === agents[0]?.id) as { relationships: { work_items: { data: { id: string }[] } } } | undefined;
    expect(agent?.relationships.work_items.data.map((d) => d.id).sort()).toEqual(sorted(items.filter((i) => i.claimed_by === agents[0]?.id).map((i) => i.id)));
  });

  it('reads select only what documents show: a private attribute (the token hash) is never read', async () => {
    statements.length = 0;
    const agent = agents[0]?.id ?? '';
    for (const url of [`/api/json/agents/${agent}`, '/api/json/agents', '/api/json/work_items?include=agent&page[limit]=5', `/api/json/agents/${agent}/work_items?include=agent`]) {
      expect((await get(url)).status).toBe(200);
    }
    expect(statements.filter((s) => s.includes('"agents"')).length).toBeGreaterThanOrEqual(4);
    for (const statement of statements) expect(statement).not.toContain('token_hash');
  });

  it('an empty include gives an empty included array; an unknown path is 400', async () => {
    const item = items.find((i) => i.claimed_by === null);
    const response = await get(`/api/json/work_items/${item?.id}?include=agent`);
    expect(response.body.included).toEqual([]);
    expect(response.body.data.relationships.agent.data).toBeNull();
    const bad = await get('/api/json/work_items?include=owner');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: 'INVALID_INCLUDE', source: { parameter: 'include' } });
  });

  it('fields[type] limits attributes and relationships of primary and included data', async () => {
    const response = await get('/api/json/work_items?include=agent&fields[work_item]=status,agent&fields[agent]=agent_id&page[limit]=500');
    for (const object of response.body.data) {
      expect(Object.keys(object.attributes)).toEqual(['status']);
      expect(Object.keys(object.relationships)).toEqual(['agent']);
    }
    for (const object of response.body.included) expect(Object.keys(object.attributes)).toEqual(['agent_id']);
    const bad = await get('/api/json/work_items?fields[work_item]=nope&fields[robot]=x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { source: { parameter: string } }) => e.source.parameter)).toEqual(['fields[work_item]', 'fields[robot]']);
  });
});

describe('related and relationship routes', () => {
  it('GET /agents/:id/work_items is a collection that takes filter, sort and paging', async () => {
    const agent = agents[0];
    const response = await get(`/api/json/agents/${agent?.id}/work_items?filter[priority]=low,high&sort=-priority`);
    const expected = items.filter((i) => i.claimed_by === agent?.id && (i.priority === 'low' || i.priority === 'high'));
    expect(sorted(ids(response))).toEqual(sorted(expected.map((i) => i.id)));
    expect(response.body.data[0].attributes.priority).toBe('high');
  });

  it('GET /work_items/:id/agent is the agent, or null', async () => {
    const claimed = items.find((i) => i.claimed_by !== null);
    expect((await get(`/api/json/work_items/${claimed?.id}/agent`)).body.data.id).toBe(claimed?.claimed_by);
    const unclaimed = items.find((i) => i.claimed_by === null);
    expect((await get(`/api/json/work_items/${unclaimed?.id}/agent`)).body.data).toBeNull();
    expect((await get('/api/json/work_items/00000000-0000-4000-8000-000000000000/agent')).status).toBe(404);
  });

  it('unknown query parameters of the JSON:API family are 400; implementation-specific ones are ignored', async () => {
    const bad = await get('/api/json/work_items?search=x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: 'INVALID_QUERY_PARAMETER', source: { parameter: 'search' } });
    expect((await get('/api/json/work_items?cacheBuster=1')).status).toBe(200);
  });
});
