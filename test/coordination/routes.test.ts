import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jsonApi } from '../support/jsonapi.ts';
import { testAdminToken, testApp } from '../support/runtime.ts';
import { call, registerAgent, submitWork } from './support.ts';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

const eventsOf = async (id: string): Promise<{ event_name: string[]; trace_id: string | null; metadata: Record<string, unknown> }[]> =>
  (await database.pool.query(`SELECT event_name, trace_id, metadata FROM telemetry_events WHERE metadata->>'id' = $1 ORDER BY inserted_at, id`, [id])).rows;

describe('/api/coordination, in the original envelope', () => {
  it('registers an agent (201, token once), heartbeats it by agent_id and lists it', async () => {
    const registered = await call(app, 'POST', '/api/coordination/agents/register', { body: { agent_id: 'env-agent', capabilities: ['build'] } });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ status: 'ok', data: { agent_id: 'env-agent', status: 'active', capabilities: ['build'] } });
    expect(registered.body.data.token).toMatch(/^ssa_/);
    const token: string = registered.body.data.token;

    const beat = await call(app, 'PUT', '/api/coordination/agents/env-agent/heartbeat', { token });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ status: 'ok', data: { agent_id: 'env-agent', status: 'active' } });
    expect(Date.parse(beat.body.data.last_heartbeat)).toBeGreaterThanOrEqual(Date.parse(registered.body.data.last_heartbeat));

    const listed = await call(app, 'GET', '/api/coordination/agents?status=active', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((a: { agent_id: string }) => a.agent_id)).toContain('env-agent');
    expect(listed.body.count).toBe(listed.body.data.length);
    expect(listed.body.data.every((a: Record<string, unknown>) => !('token_hash' in a) && !('work_items_id' in a))).toBe(true);
  });

  it('runs a work item through claim, start and complete by work_item_id, as the same actions /api/json runs', async () => {
    const agent = await registerAgent(app, 'flow-agent');
    const item = await submitWork(app, agent.token, { work_type: 'build', priority: 'high', team: 'core_team', description: 'compile' });
    const claimed = await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token });
    expect(claimed.status).toBe(200);
    expect(claimed.body.data).toMatchObject({ work_item_id: item.workItemId, status: 'claimed', claimed_by: 'flow-agent', claimed_by_id: agent.id, team: 'core_team' });
    expect(claimed.body.data.claimed_at).toEqual(expect.any(String));

    // The uuid works as :work_id too.
    const started = await call(app, 'PUT', `/api/coordination/work_items/${item.id}/start`, { token: agent.token });
    expect(started.status).toBe(200);
    expect(started.body.data.status).toBe('in_progress');
    const completed = await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/complete`, { token: agent.token, body: { result: { ok: true } } });
    expect(completed.status).toBe(200);
    expect(completed.body.data).toMatchObject({ status: 'completed', result: { ok: true } });

    // Same row, same rules: /api/json reads what the coordination routes wrote.
    const read = await jsonApi(app, 'GET', `/api/json/work_items/${item.id}`);
    expect(read.body.data.attributes).toMatchObject({ status: 'completed', team: 'core_team', priority: 'high' });
    expect((await eventsOf(item.id)).map((e) => e.event_name.join('.'))).toEqual([
      'coordination.work.submitted',
      'coordination.work.claimed',
      'coordination.work.started',
      'coordination.work.completed',
    ]);
  });

  it('filters work items by status, work_type and priority', async () => {
    const agent = await registerAgent(app, 'filter-agent');
    await submitWork(app, agent.token, { work_type: 'filter_a', priority: 'low' });
    const wanted = await submitWork(app, agent.token, { work_type: 'filter_a', priority: 'critical' });
    await submitWork(app, agent.token, { work_type: 'filter_b', priority: 'critical' });
    const listed = await call(app, 'GET', '/api/coordination/work_items?status=pending&work_type=filter_a&priority=critical', { token: agent.token });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((w: { work_item_id: string }) => w.work_item_id)).toEqual([wanted.workItemId]);
    const bad = await call(app, 'GET', '/api/coordination/work_items?priority=urgent', { token: agent.token });
    expect(bad.status).toBe(400);
    const message = `priority: "urgent" is not one of 'low', 'medium', 'high', 'critical'`;
    expect(bad.body).toEqual({ status: 'error', error: 'invalid_filter', message, details: [{ field: 'filter[priority]', message }] });
  });

  it('answers a wrong-state transition with 409 and the action message (the original answered 400)', async () => {
    const agent = await registerAgent(app, 'state-agent');
    const item = await submitWork(app, agent.token, { work_type: 'state' });
    await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token });
    const early = await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/complete`, { token: agent.token });
    expect(early.status).toBe(409);
    expect(early.body).toEqual({
      status: 'error',
      error: 'state_conflict',
      message: 'Work item must be in progress to complete',
      details: [{ field: 'status', message: 'Work item must be in progress to complete' }],
    });
  });

  it('answers an unknown agent or item with 404, and an unknown route with the envelope 404', async () => {
    const agent = await registerAgent(app, 'missing-agent');
    const noItem = await call(app, 'PUT', '/api/coordination/work_items/work_0000000000000000001/claim', { token: agent.token });
    expect(noItem.status).toBe(404);
    expect(noItem.body).toMatchObject({ status: 'error', error: 'resource_not_found' });
    const noAgent = await call(app, 'PUT', '/api/coordination/agents/nobody/heartbeat', { token: testAdminToken });
    expect(noAgent.status).toBe(404);
    expect(noAgent.body.message).toContain('nobody');
    const noRoute = await call(app, 'GET', '/api/coordination/nothing', { token: agent.token });
    expect(noRoute.status).toBe(404);
    expect(noRoute.body).toMatchObject({ status: 'error', error: 'route_not_found' });
  });

  it('validates bodies with the same generated schemas as /api/json (typed payload members included)', async () => {
    const agent = await registerAgent(app, 'schema-agent');
    const badPayload = await call(app, 'POST', '/api/coordination/work_items', { token: agent.token, body: { work_type: 'schema', payload: { velocity_points: -3 } } });
    expect(badPayload.status).toBe(422);
    expect(badPayload.body).toMatchObject({ status: 'error', error: 'validation_failed', details: [{ field: 'payload.velocity_points' }] });
    const unknownMember = await call(app, 'POST', '/api/coordination/work_items', { token: agent.token, body: { work_type: 'schema', status: 'completed' } });
    expect(unknownMember.status).toBe(400);
    expect(unknownMember.body).toMatchObject({ status: 'error', error: 'input_not_accepted', message: 'status is not accepted by this action' });
    const jsonApiAnswer = await jsonApi(app, 'POST', '/api/json/work_items', { data: { type: 'work_item', attributes: { work_type: 'schema', payload: { velocity_points: -3 } } } }, { authorization: `Bearer ${agent.token}` });
    expect(jsonApiAnswer.status).toBe(badPayload.status);
  });

  it('answers invalid bodies with 422 naming each field, and anonymous callers with 401', async () => {
    const agent = await registerAgent(app, 'invalid-agent');
    const bad = await call(app, 'POST', '/api/coordination/work_items', { token: agent.token, body: { work_type: '', priority: 'urgent' } });
    expect(bad.status).toBe(422);
    expect(bad.body.status).toBe('error');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['priority', 'work_type']);
    const anonymous = await call(app, 'GET', '/api/coordination/status');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    const wrongToken = await call(app, 'GET', '/api/coordination/work_items', { token: 'ssa_not-a-real-token' });
    expect(wrongToken.status).toBe(401);
  });

  it('lets an agent claim only as itself; the admin names the agent by agent_id', async () => {
    const agent = await registerAgent(app, 'self-agent');
    const other = await registerAgent(app, 'other-agent');
    const item = await submitWork(app, agent.token, { work_type: 'self' });
    // An agent naming someone else still claims as itself.
    const claimed = await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token, body: { agent_id: 'other-agent' } });
    expect(claimed.body.data.claimed_by).toBe('self-agent');
    const second = await submitWork(app, agent.token, { work_type: 'self' });
    const byAdmin = await call(app, 'PUT', `/api/coordination/work_items/${second.workItemId}/claim`, { token: testAdminToken, body: { agent_id: 'other-agent' } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data).toMatchObject({ claimed_by: 'other-agent', claimed_by_id: other.id });
    // Only the claimant may start it.
    const notMine = await call(app, 'PUT', `/api/coordination/work_items/${second.workItemId}/start`, { token: agent.token });
    expect(notMine.status).toBe(403);
    expect(notMine.body).toMatchObject({ status: 'error', error: 'forbidden', message: 'Only the claiming agent may do this' });
  });

  it('records every transition with the trace id of the request (traceparent, then x-trace-id) and echoes it', async () => {
    const agent = await registerAgent(app, 'trace-agent');
    const item = await submitWork(app, agent.token, { work_type: 'trace' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const claimed = await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, {
      token: agent.token,
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(claimed.headers['x-trace-id']).toBe(traceId);
    const started = await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/start`, { token: agent.token, headers: { 'x-trace-id': 'legacy-trace-42' } });
    expect(started.headers['x-trace-id']).toBe('legacy-trace-42');
    const events = await eventsOf(item.id);
    expect(events.find((e) => e.event_name.join('.') === 'coordination.work.claimed')).toMatchObject({ trace_id: traceId, metadata: { action: 'claim_work', actor: { type: 'agent', id: agent.id } } });
    expect(events.find((e) => e.event_name.join('.') === 'coordination.work.started')?.trace_id).toBe('legacy-trace-42');
  });
});

describe('claim_next', () => {
  it('claims the highest-priority oldest pending item among the work types asked for, and 204 when none is left', async () => {
    const agent = await registerAgent(app, 'next-agent');
    const low = await submitWork(app, agent.token, { work_type: 'next_x', priority: 'low' });
    const firstHigh = await submitWork(app, agent.token, { work_type: 'next_x', priority: 'high' });
    const secondHigh = await submitWork(app, agent.token, { work_type: 'next_x', priority: 'high' });
    const otherType = await submitWork(app, agent.token, { work_type: 'next_y', priority: 'critical' });
    const order: string[] = [];
    for (;;) {
      const next = await call(app, 'POST', '/api/coordination/work_items/claim_next', { token: agent.token, body: { work_types: ['next_x'] } });
      if (next.status === 204) break;
      expect(next.status).toBe(200);
      order.push(next.body.data.work_item_id);
      await call(app, 'PUT', `/api/coordination/work_items/${next.body.data.work_item_id}/start`, { token: agent.token });
      await call(app, 'PUT', `/api/coordination/work_items/${next.body.data.work_item_id}/complete`, { token: agent.token });
    }
    expect(order).toEqual([firstHigh.workItemId, secondHigh.workItemId, low.workItemId]);
    const untouched = await jsonApi(app, 'GET', `/api/json/work_items/${otherType.id}`);
    expect(untouched.body.data.attributes.status).toBe('pending');
  });

  it('rejects malformed filters with 422 naming the argument', async () => {
    const agent = await registerAgent(app, 'next-bad-agent');
    const bad = await call(app, 'POST', '/api/coordination/work_items/claim_next', { token: agent.token, body: { work_types: 'build' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details[0].field).toBe('work_types');
  });

  it('is for agents: the admin is refused', async () => {
    const refused = await call(app, 'POST', '/api/coordination/work_items/claim_next', { token: testAdminToken, body: {} });
    expect(refused.status).toBe(403);
  });
});
