import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { apiErrorsOf, expectApiError } from '../support/matchers.ts';
import { act } from '../support/runtime.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url, { poolSize: 20 });
});
afterAll(async () => {
  await database.drop();
});

const register = async (agentId?: string) =>
  act(database, 'agent', 'register', agentId === undefined ? {} : { agent_id: agentId, capabilities: ['build'] });
const submit = async (input: Record<string, string> = {}) => act(database, 'work_item', 'submit_work', { work_type: 'build', ...input });
const idOf = (record: Readonly<Record<string, unknown>>): string => String(record['id']);
const isoUsec = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('work item lifecycle', () => {
  it('submit -> claim -> start -> complete, each setting what the seed says', async () => {
    const agent = await register();
    const item = await submit({ description: 'compile', priority: 'high' });
    expect(item).toMatchObject({ status: 'pending', priority: 'high', claimed_by: null, payload: {}, result: {} });
    expect(item['work_item_id']).toMatch(/^work_\d{19}$/);

    const claimed = await act(database, 'work_item', 'claim_work', { claimed_by: idOf(agent) }, { id: idOf(item) });
    expect(claimed).toMatchObject({ status: 'claimed', claimed_by: idOf(agent) });
    expect(claimed['claimed_at']).toMatch(isoUsec);

    const started = await act(database, 'work_item', 'start_work', {}, { id: idOf(item) });
    expect(started['status']).toBe('in_progress');
    expect(String(started['updated_at']) >= String(claimed['updated_at'])).toBe(true);
    expect(started['inserted_at']).toBe(item['inserted_at']);

    const completed = await act(database, 'work_item', 'complete_work', { result: { artifacts: 3 } }, { id: idOf(item) });
    expect(completed).toMatchObject({ status: 'completed', result: { artifacts: 3 } });
    expect(completed['completed_at']).toMatch(isoUsec);
  });

  it.each([
    ['claimed', ['claim_work']],
    ['in_progress', ['claim_work', 'start_work']],
  ])('fail_work applies to a %s item', async (_state, steps) => {
    const agent = await register();
    const item = await submit();
    for (const step of steps) await act(database, 'work_item', step, step === 'claim_work' ? { claimed_by: idOf(agent) } : {}, { id: idOf(item) });
    const failed = await act(database, 'work_item', 'fail_work', { result: { error: 'boom' } }, { id: idOf(item) });
    expect(failed).toMatchObject({ status: 'failed', result: { error: 'boom' } });
  });

  it.each([
    ['claim_work', 'claimed', 'Work item must be pending to be claimed'],
    ['start_work', 'pending', 'Work item must be claimed to start'],
    ['complete_work', 'claimed', 'Work item must be in progress to complete'],
    ['fail_work', 'pending', 'Work item must be claimed or in progress to fail'],
  ])('%s on a %s item is a 409 with the action message, and changes nothing', async (action, state, message) => {
    const agent = await register();
    const item = await submit();
    if (state === 'claimed') await act(database, 'work_item', 'claim_work', { claimed_by: idOf(agent) }, { id: idOf(item) });
    const before = await act(database, 'work_item', 'read', {}, { id: idOf(item) });
    const input = action === 'claim_work' ? { claimed_by: idOf(agent) } : {};
    const error = await expectApiError(act(database, 'work_item', action, input, { id: idOf(item) }), 'STATE_CONFLICT', { detail: message });
    expect(error.status).toBe(409);
    expect(await act(database, 'work_item', 'read', {}, { id: idOf(item) })).toEqual(before);
  });

  it('a transition is one conditional UPDATE: no read before the write', async () => {
    const statements: string[] = [];
    const counted = drizzle({ client: database.pool, logger: { logQuery: (query) => statements.push(query) } });
    const agent = await register();
    const item = await submit();
    await act(database, 'work_item', 'claim_work', { claimed_by: idOf(agent) }, { id: idOf(item) });
    await act({ db: counted }, 'work_item', 'start_work', {}, { id: idOf(item) });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^update "work_items" set .* where \("work_items"\."id" = \$\d+ and "work_items"\."status" = \$\d+\) returning/);
  });

  it('a claim as an agent takes its advisory lock, then checks state, limit and writes in one UPDATE', async () => {
    const statements: string[] = [];
    const counted = drizzle({ client: database.pool, logger: { logQuery: (query) => statements.push(query) } });
    const agent = await register();
    const item = await submit();
    await act({ db: counted }, 'work_item', 'claim_work', {}, { id: idOf(item), actor: { type: 'agent', id: idOf(agent) } });
    const work = statements.filter((s) => !/^(begin|commit)/i.test(s));
    expect(work).toHaveLength(2);
    expect(work[0]).toMatch(/pg_advisory_xact_lock/);
    expect(work[1]).toMatch(/^update "work_items" set .* where .*"work_items"\."status" = \$\d+ and \(SELECT count\(\*\) FROM "work_items" WHERE/);
  });

  it('50 agents claiming one item at once: exactly one wins, the rest get 409', async () => {
    const agents = await Promise.all(Array.from({ length: 50 }, () => register()));
    const item = await submit();
    const outcomes = await Promise.allSettled(
      agents.map((agent) => act(database, 'work_item', 'claim_work', { claimed_by: idOf(agent) }, { id: idOf(item) })),
    );
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const losers = await Promise.all(
      outcomes.filter((o) => o.status === 'rejected').map((o) => apiErrorsOf(Promise.reject((o as PromiseRejectedResult).reason))),
    );
    expect(losers.flat().map((e) => e.code)).toEqual(Array(49).fill('STATE_CONFLICT'));
    const stored = await act(database, 'work_item', 'read', {}, { id: idOf(item) });
    expect(stored['claimed_by']).toBe(winners[0]?.status === 'fulfilled' ? winners[0].value['claimed_by'] : undefined);
  });
});

describe('work item ids', () => {
  it('1,000 concurrent submissions from two pools (two "processes") all get distinct work_<19 digits> ids', async () => {
    const other = drizzle({ client: new pg.Pool({ connectionString: database.url, max: 10 }) });
    const created = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => act(i % 2 === 0 ? database : { db: other }, 'work_item', 'submit_work', { work_type: `w${i % 7}` })),
    );
    await other.$client.end();
    const ids = created.map((r) => String(r['work_item_id']));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^work_\d{19}$/);
  });
});

describe('input and database errors', () => {
  it('reports every input problem at once: unknown member, bad enum, missing required', async () => {
    const errors = await apiErrorsOf(act(database, 'work_item', 'submit_work', { status: 'completed', priority: 'urgent' }));
    expect(errors.map((e) => [e.code, e.options.field?.name]).sort()).toEqual([
      ['INPUT_NOT_ACCEPTED', 'status'],
      ['VALIDATION_FAILED', 'priority'],
      ['VALIDATION_FAILED', 'work_type'],
    ]);
  });

  it('a claim by an agent that does not exist is RELATED_RESOURCE_NOT_FOUND on the agent relationship', async () => {
    const item = await submit();
    await expectApiError(
      act(database, 'work_item', 'claim_work', { claimed_by: '00000000-0000-4000-8000-000000000000' }, { id: idOf(item) }),
      'RELATED_RESOURCE_NOT_FOUND',
      { field: 'agent' },
    );
  });

  it('registering a taken agent_id is a CONFLICT on agent_id', async () => {
    await register('agent-duplicate');
    await expectApiError(register('agent-duplicate'), 'CONFLICT', { field: 'agent_id', detail: 'agent_id has already been taken' });
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])('an unknown id (%s) is RESOURCE_NOT_FOUND', async (id) => {
    await expectApiError(act(database, 'work_item', 'start_work', {}, { id }), 'RESOURCE_NOT_FOUND');
    await expectApiError(act(database, 'work_item', 'read', {}, { id }), 'RESOURCE_NOT_FOUND');
    await expectApiError(act(database, 'work_item', 'destroy', {}, { id }), 'RESOURCE_NOT_FOUND');
  });

  it('deleting an agent nilifies the claims pointing at it (ON DELETE SET NULL)', async () => {
    const agent = await register();
    const item = await submit();
    await act(database, 'work_item', 'claim_work', { claimed_by: idOf(agent) }, { id: idOf(item) });
    await act(database, 'agent', 'destroy', {}, { id: idOf(agent) });
    expect((await act(database, 'work_item', 'read', {}, { id: idOf(item) }))['claimed_by']).toBeNull();
  });
});

describe('agents', () => {
  it('register generates agent_<19 digits> when none is given, sets active and the heartbeat', async () => {
    const agent = await register();
    expect(agent).toMatchObject({ status: 'active', capabilities: [], metadata: {} });
    expect(agent['agent_id']).toMatch(/^agent_\d{19}$/);
    expect(agent['last_heartbeat']).toMatch(isoUsec);
  });

  it('heartbeat moves last_heartbeat forward and makes the agent active again', async () => {
    const agent = await register('agent-heartbeat');
    await act(database, 'agent', 'update_status', { status: 'idle' }, { id: idOf(agent) });
    const beat = await act(database, 'agent', 'heartbeat', {}, { id: idOf(agent) });
    expect(beat['status']).toBe('active');
    expect(String(beat['last_heartbeat']) > String(agent['last_heartbeat'])).toBe(true);
  });

  it('update_status requires status and accepts only status and metadata', async () => {
    const agent = await register();
    await expectApiError(act(database, 'agent', 'update_status', { metadata: {} }, { id: idOf(agent) }), 'VALIDATION_FAILED', { field: 'status' });
    await expectApiError(act(database, 'agent', 'update_status', { status: 'idle', agent_id: 'x' }, { id: idOf(agent) }), 'INPUT_NOT_ACCEPTED', {
      field: 'agent_id',
    });
  });
});
