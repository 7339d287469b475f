import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/bus.ts';
import type { BusEvent } from '../../src/events/sink.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jsonApi, resource } from '../support/jsonapi.ts';
import { eventually, seedRegistry, testAuth, testConfig } from '../support/runtime.ts';

let database: TestDatabase;
let bus: EventBus;
let app: FastifyInstance;
const received: BusEvent[] = [];

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  bus = new EventBus(database.pool.options, { warn: () => undefined });
  await bus.start();
  bus.subscribe((event) => received.push(event));
  app = await buildApp({ config: testConfig(), registry: await seedRegistry(), database, auth: testAuth, logger: false });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await bus.stop();
  await database.drop();
});

const atomic = {
  'content-type': 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"',
  accept: 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"',
  authorization: `Bearer ${testAuth.adminToken}`,
};
const submitted = (workType: string) => received.filter((e) => e.event.join('.') === 'coordination.work.submitted' && e.attributes['work_type'] === workType);
const telemetryRows = async (workType: string): Promise<number> =>
  Number((await database.pool.query(`SELECT count(*) FROM telemetry_events WHERE metadata->'record'->>'work_type' = $1`, [workType])).rows[0]?.count);

describe('the event bus', () => {
  it('announces a committed change to listeners with its origin, trace id and small attributes, never private ones', async () => {
    const registered = await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', { agent_id: 'bus-agent' }), { authorization: '', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(registered.status).toBe(201);
    await eventually(async () => received.some((e) => e.id === registered.body.data.id), { intervalMs: 20 });
    const event = received.find((e) => e.id === registered.body.data.id);
    expect(event).toMatchObject({
      event: ['coordination', 'agent', 'registered'],
      resource: 'agent',
      action: 'register',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      origin: app.instanceId,
      attributes: { agent_id: 'bus-agent', status: 'active' },
    });
    expect(event?.attributes).not.toHaveProperty('token_hash');
  });

  it('never announces what rolled back: atomic operations announce only once all of them committed', async () => {
    const failed = await jsonApi(app, 'POST', '/api/json/operations', {
      'atomic:operations': [
        { op: 'add', data: { type: 'work_item', attributes: { work_type: 'bus-rolled-back' } } },
        { op: 'add', data: { type: 'work_item', attributes: { work_type: 'bus-rolled-back', priority: 'urgent' } } },
      ],
    }, atomic);
    expect(failed.status).toBe(422);
    const committed = await jsonApi(app, 'POST', '/api/json/operations', {
      'atomic:operations': [
        { op: 'add', data: { type: 'work_item', attributes: { work_type: 'bus-committed' } } },
        { op: 'add', data: { type: 'work_item', attributes: { work_type: 'bus-committed' } } },
      ],
    }, atomic);
    expect(committed.status).toBe(200);
    // One publisher sends in order: once the later request's events are here, the earlier ones would be too.
    await eventually(async () => submitted('bus-committed').length === 2, { intervalMs: 20 });
    expect(submitted('bus-rolled-back')).toEqual([]);
    expect(await telemetryRows('bus-rolled-back')).toBe(0);
    expect(await telemetryRows('bus-committed')).toBe(2);
  });

  it('batches: a burst of changes reaches the listener complete and in order', async () => {
    const writes = Array.from({ length: 40 }, (_, i) => jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: 'bus-burst', description: String(i) })));
    const ids = (await Promise.all(writes)).map((r) => r.body.data.id as string);
    await eventually(async () => submitted('bus-burst').length === 40, { intervalMs: 20 });
    expect(new Set(submitted('bus-burst').map((e) => e.id))).toEqual(new Set(ids));
  });

  it('reconnects when its connection is cut, and receives what comes after', async () => {
    await database.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`);
    // Until the bus listens again, announcements are lost (at most once): keep writing until one arrives.
    let n = 0;
    await eventually(async () => {
      n += 1;
      await jsonApi(app, 'POST', '/api/json/work_items', resource('work_item', { work_type: `bus-after-cut-${n}` }));
      return received.some((e) => String(e.attributes['work_type']).startsWith('bus-after-cut-'));
    }, { intervalMs: 100 });
  });
});
