import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { freePort } from '../support/project-copy.ts';
import { act, seedRegistry, testApp, testAuth } from '../support/runtime.ts';
import { call, codesOf, coverage, expectDocumented, operationById, operations } from './support.ts';

/**
 * The document cannot drift from behaviour: a real request to EVERY operation it documents, against the real app
 * on a real database, and each answer (success and every error status provoked here) is checked against the status,
 * media type, headers and schema the document gives for it.
 */
let database: TestDatabase;
let app: FastifyInstance;
const collector = testAuth.collectorTokens[0] ?? '';
const scraper = testAuth.scraperTokens[0] ?? '';
const traceId = '5b8efff798038103d269b633813fc60c';
const missing = '00000000-0000-4000-8000-000000000000';

const resource = (type: string, attributes: Record<string, unknown> = {}) => ({ data: { type, attributes } });

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

/** What the scenarios create, by name. */
const state: Record<string, string> = {};
const need = (name: string): string => {
  const value = state[name];
  if (value === undefined) throw new Error(`no ${name} yet`);
  return value;
};

describe('every JSON:API operation answers as documented', () => {
  it('agents: register, read, list with every parameter family, update, heartbeat, tokens, related work', async () => {
    const registered = await call(app, 'registerAgent', { token: '', body: resource('agent', { agent_id: 'contract-1', capabilities: ['build'], metadata: { zone: 'a' } }) });
    expect(registered.status).toBe(201);
    state['agent'] = registered.body.data.id;
    state['agentToken'] = registered.body.meta.token;
    const second = await call(app, 'registerAgent', { token: '', body: resource('agent', { agent_id: 'contract-2' }) });
    state['agent2'] = second.body.data.id;
    state['agent2Token'] = second.body.meta.token;
    // 409 identity, 422 bad value, 400 a member outside accept, 415 a media type, 406 an Accept it cannot serve.
    expect((await call(app, 'registerAgent', { body: resource('agent', { agent_id: 'contract-1' }) })).status).toBe(409);
    expect((await call(app, 'registerAgent', { body: resource('agent', { agent_id: '' }) })).status).toBe(422);
    expect(codesOf(await call(app, 'registerAgent', { body: resource('agent', { status: 'idle' }) }))).toEqual(['INPUT_NOT_ACCEPTED']);
    expect((await call(app, 'registerAgent', { body: '{"data":', headers: { 'content-type': 'application/vnd.api+json' } })).status).toBe(400);
    expect((await call(app, 'registerAgent', { body: 'agent_id=x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await call(app, 'registerAgent', { body: resource('agent'), headers: { accept: 'application/vnd.api+json; charset=utf-8' } })).status).toBe(406);
    expect((await call(app, 'registerAgent', { body: resource('agent', {}), token: 'not-a-token' })).status).toBe(401);
    expect((await call(app, 'registerAgent', { body: { data: { type: 'work_item', attributes: {} } } })).status).toBe(409);
    expect((await call(app, 'registerAgent', { body: { data: { type: 'agent', id: missing, attributes: {} } } })).status).toBe(403);
    expect((await call(app, 'registerAgent', { body: `{"data":{"type":"agent","attributes":{"metadata":{"blob":"${'x'.repeat(1_100_000)}"}}}}` })).status).toBe(413);

    expect((await call(app, 'getAgent', { params: { id: need('agent') }, query: 'include=work_items&fields[agent]=agent_id,status,work_items' })).status).toBe(200);
    expect((await call(app, 'getAgent', { params: { id: missing } })).status).toBe(404);
    expect((await call(app, 'getAgent', { params: { id: need('agent') }, token: '' })).status).toBe(401);
    expect((await call(app, 'getAgent', { params: { id: need('agent') }, query: 'include=nope' })).status).toBe(400);
    expect((await call(app, 'getAgent', { params: { id: need('agent') }, token: scraper })).status).toBe(200);

    const listed = await call(app, 'listAgents', { query: 'filter[status][in]=active,idle&filter[capabilities]=build&sort=-agent_id&page[limit]=1&page[count]=true&include=work_items.agent&fields[work_item]=status' });
    expect(listed.body.data).toHaveLength(1);
    await call(app, 'listAgents', { query: 'filter[agent_id][starts_with]=contract&filter[or][0][status]=active&filter[or][1][last_heartbeat][is_nil]=true&page[offset]=0&page[limit]=1&page[count]=true' });
    const next = await call(app, 'listAgents', { query: 'page[limit]=1' });
    expect(next.body.links.next).toMatch(/page/);
    await call(app, 'listAgents', { query: `page[after]=${encodeURIComponent(new URL(next.body.links.next).searchParams.get('page[after]') ?? '')}&page[limit]=1` });
    expect(codesOf(await call(app, 'listAgents', { query: 'filter[status][gt]=active&sort=metadata&page[limit]=0&bogus=1' })).sort()).toEqual(
      ['INVALID_FILTER', 'INVALID_PAGE', 'INVALID_QUERY_PARAMETER', 'INVALID_SORT'].sort(),
    );
    expect((await call(app, 'listAgents', { token: '' })).status).toBe(401);

    const agentToken = need('agentToken');
    expect((await call(app, 'updateAgentStatus', { params: { id: need('agent') }, token: agentToken, body: { data: { type: 'agent', id: need('agent'), attributes: { status: 'idle', metadata: { zone: 'b' } } } } })).status).toBe(200);
    expect((await call(app, 'updateAgentStatus', { params: { id: need('agent2') }, token: agentToken, body: { data: { type: 'agent', attributes: { status: 'idle' } } } })).status).toBe(403);
    expect((await call(app, 'updateAgentStatus', { params: { id: need('agent') }, body: { data: { type: 'agent', id: missing, attributes: { status: 'idle' } } } })).status).toBe(409);
    expect((await call(app, 'updateAgentStatus', { params: { id: need('agent') }, body: { data: { type: 'agent', attributes: {} } } })).status).toBe(422);
    expect((await call(app, 'updateAgentStatus', { params: { id: missing }, body: { data: { type: 'agent', attributes: { status: 'idle' } } } })).status).toBe(404);
    expect((await call(app, 'heartbeatAgent', { params: { id: need('agent') }, token: agentToken })).status).toBe(200);
    expect((await call(app, 'heartbeatAgent', { params: { id: need('agent') }, token: need('agent2Token') })).status).toBe(403);
    const rotated = await call(app, 'rotateAgentToken', { params: { id: need('agent2') } });
    state['agent2Token'] = rotated.body.meta.token;
    expect((await call(app, 'rotateAgentToken', { params: { id: need('agent2') }, token: need('agentToken') })).status).toBe(403);
    expect((await call(app, 'revokeAgentToken', { params: { id: need('agent2') } })).status).toBe(200);
    expect((await call(app, 'revokeAgentToken', { params: { id: missing } })).status).toBe(404);
    expect((await call(app, 'getAgentWorkItems', { params: { id: need('agent') }, query: 'sort=-priority&filter[status]=pending&include=agent' })).status).toBe(200);
    expect((await call(app, 'getAgentWorkItems', { params: { id: missing } })).status).toBe(404);
  });

  it('work items: submit, claim, start, complete, fail, claim next, relationships, delete', async () => {
    const agentToken = need('agentToken');
    const submit = (attributes: Record<string, unknown>) => call(app, 'submitWorkItem', { token: agentToken, body: resource('work_item', attributes) });
    const first = await submit({ work_type: 'compile', priority: 'high', payload: { velocity_points: 8, repo: 'x' } });
    expect(first.status).toBe(201);
    expect(first.headers['location']).toBeDefined();
    state['work'] = first.body.data.id;
    state['work2'] = (await submit({ work_type: 'compile' })).body.data.id;
    state['work3'] = (await submit({ work_type: 'deploy', priority: 'low' })).body.data.id;
    // The typed map: payload.velocity_points is a non-negative integer (WorkPayload in the resource file).
    const typed = await submit({ work_type: 'compile', payload: { velocity_points: 'many' } });
    expect(typed.status).toBe(422);
    expect(typed.body.errors[0].source.pointer).toBe('/data/attributes/payload/velocity_points');
    expect(codesOf(await submit({ priority: 'urgent' }))).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect((await call(app, 'submitWorkItem', { token: scraper, body: resource('work_item', { work_type: 'x' }) })).status).toBe(403);

    const claim = (id: string, token: string, body?: unknown) => call(app, 'claimWorkItem', { params: { id }, token, ...(body === undefined ? {} : { body }) });
    expect((await claim(need('work'), agentToken)).status).toBe(200);
    const conflict = await claim(need('work'), need('agentToken'));
    expect(conflict.status).toBe(409);
    expect(conflict.headers['retry-after']).toBeDefined();
    expect((await claim(need('work2'), '', undefined)).status).toBe(401);
    expect((await claim(need('work2'), 'test-admin-token-0123456789', { data: { type: 'work_item', relationships: { agent: { data: { type: 'agent', id: missing } } } } })).status).toBe(404);
    expect((await claim(missing, agentToken)).status).toBe(404);
    expect((await call(app, 'startWorkItem', { params: { id: need('work') }, token: agentToken })).status).toBe(200);
    expect((await call(app, 'startWorkItem', { params: { id: need('work') }, token: agentToken })).status).toBe(409);
    expect((await call(app, 'completeWorkItem', { params: { id: need('work') }, token: agentToken, body: resource('work_item', { result: { ok: true } }) })).status).toBe(200);
    expect((await call(app, 'completeWorkItem', { params: { id: need('work') }, token: agentToken })).status).toBe(409);
    expect((await call(app, 'failWorkItem', { params: { id: need('work') }, token: agentToken })).status).toBe(409);
    expect((await call(app, 'failWorkItem', { params: { id: need('work2') }, token: agentToken })).status).toBe(403);
    expect((await claim(need('work2'), agentToken)).status).toBe(200);
    expect((await call(app, 'failWorkItem', { params: { id: need('work2') }, token: need('agentToken'), body: resource('work_item', { result: { error: 'boom' } }) })).status).toBe(200);

    const next = await call(app, 'claimNextWorkItem', { token: agentToken, body: resource('work_item', { work_types: ['deploy'] }) });
    expect(next.status).toBe(200);
    expect((await call(app, 'claimNextWorkItem', { token: agentToken })).status).toBe(204);
    expect((await call(app, 'claimNextWorkItem', {})).status).toBe(403);
    expect((await call(app, 'claimNextWorkItem', { token: agentToken, body: resource('work_item', { work_types: 'deploy' }) })).status).toBe(422);

    await call(app, 'listWorkItems', { query: 'filter[agent][agent_id]=contract-1&filter[priority][not_in]=critical&filter[inserted_at][lte]=2999-01-01T00:00:00Z&sort=agent.agent_id,-priority&include=agent.work_items&fields[agent]=agent_id' });
    expect((await call(app, 'getWorkItem', { params: { id: need('work') }, query: 'include=agent' })).status).toBe(200);
    expect((await call(app, 'getWorkItem', { params: { id: 'not-a-uuid' } })).status).toBe(404);
    expect((await call(app, 'getWorkItemAgent', { params: { id: need('work') } })).body.data.type).toBe('agent');
    state['unclaimed'] = (await submit({ work_type: 'idle' })).body.data.id;
    expect((await call(app, 'getWorkItemAgent', { params: { id: need('unclaimed') } })).body.data).toBeNull();
    expect((await call(app, 'getWorkItemAgent', { params: { id: missing } })).status).toBe(404);
    expect((await call(app, 'getWorkItemAgentRelationship', { params: { id: need('work') } })).status).toBe(200);
    expect((await call(app, 'getWorkItemAgentRelationship', { params: { id: need('unclaimed') } })).body.data).toBeNull();
    expect((await call(app, 'getWorkItemAgentRelationship', { params: { id: missing } })).status).toBe(404);
    const relinked = await call(app, 'updateWorkItemAgentRelationship', { params: { id: need('unclaimed') }, body: { data: { type: 'agent', id: need('agent') } } });
    expect(relinked.status).toBe(200);
    expect((await call(app, 'updateWorkItemAgentRelationship', { params: { id: need('unclaimed') }, body: { data: { type: 'agent', id: need('agent') } } })).status).toBe(409);
    // A wrong type (409) reported with the other problems of the same body: the most general status, 400.
    expect(codesOf(await call(app, 'updateWorkItemAgentRelationship', { params: { id: need('unclaimed') }, body: { data: { type: 'work_item', id: need('agent') } } }))).toContain('TYPE_MISMATCH');
    expect((await call(app, 'updateWorkItemAgentRelationship', { params: { id: need('unclaimed') }, body: { data: 'x' } })).status).toBe(400);

    expect((await call(app, 'deleteWorkItem', { params: { id: need('work3') }, token: agentToken })).status).toBe(403);
    expect((await call(app, 'deleteWorkItem', { params: { id: need('work3') } })).status).toBe(204);
    expect((await call(app, 'deleteWorkItem', { params: { id: need('work3') } })).status).toBe(404);
  });

  it('telemetry events, workflow runs and their steps', async () => {
    const recorded = await call(app, 'recordTelemetryEvent', { token: need('agentToken'), body: resource('telemetry_event', { event_name: ['contract', 'test'], measurements: { n: 1 }, trace_id: traceId }) });
    expect(recorded.status).toBe(201);
    expect((await call(app, 'recordTelemetryEvent', { token: need('agentToken'), body: resource('telemetry_event', { event_name: [] , source: 7 }) })).status).toBe(422);
    expect((await call(app, 'recordTelemetryEvent', { token: scraper, body: resource('telemetry_event', { event_name: ['x'] }) })).status).toBe(403);
    await call(app, 'listTelemetryEvents', { query: 'filter[event_name][contains]=contract&filter[processed_at][is_nil]=false&sort=-inserted_at&page[limit]=5' });
    expect((await call(app, 'getTelemetryEvent', { params: { id: recorded.body.data.id } })).status).toBe(200);
    expect((await call(app, 'getTelemetryEvent', { params: { id: missing } })).status).toBe(404);

    const system = { actor: { type: 'system' } } as const;
    const run = await act(database, 'workflow_run', 'start_run', { reactor: 'contract', inputs: { a: 1 }, trace_id: traceId }, system);
    await act(database, 'workflow_step_run', 'record_step', { workflow_run_id: String(run['id']), step: 'one', status: 'completed', attempts: 1, duration_ms: 1.5 }, system);
    const runs = await call(app, 'listWorkflowRuns', { query: 'filter[reactor]=contract&include=steps&sort=-started_at' });
    const runId = String(runs.body.data[0].id);
    expect((await call(app, 'getWorkflowRun', { params: { id: runId }, query: 'include=steps' })).status).toBe(200);
    expect((await call(app, 'getWorkflowRun', { params: { id: missing } })).status).toBe(404);
    expect((await call(app, 'getWorkflowRunSteps', { params: { id: runId }, query: 'filter[attempts][gte]=1&sort=step' })).status).toBe(200);
    expect((await call(app, 'getWorkflowRunSteps', { params: { id: missing } })).status).toBe(404);
    const steps = await call(app, 'listWorkflowStepRuns', { query: 'filter[duration_ms][lt]=10&include=workflow_run&sort=workflow_run.reactor' });
    const stepId = String(steps.body.data[0].id);
    expect((await call(app, 'getWorkflowStepRun', { params: { id: stepId } })).status).toBe(200);
    expect((await call(app, 'getWorkflowStepRun', { params: { id: missing } })).status).toBe(404);
    expect((await call(app, 'getWorkflowStepRunWorkflowRun', { params: { id: stepId } })).status).toBe(200);
    expect((await call(app, 'getWorkflowStepRunWorkflowRun', { params: { id: missing } })).status).toBe(404);
  });

  it('atomic operations, and deleting an agent', async () => {
    const atomic = { 'content-type': 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', accept: 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"' };
    const done = await call(app, 'runAtomicOperations', {
      headers: atomic,
      body: {
        'atomic:operations': [
          { op: 'add', href: '/api/json/agents/register', data: { type: 'agent', lid: 'a', attributes: { agent_id: 'atomic-1' } } },
          { op: 'add', data: { type: 'work_item', lid: 'w', attributes: { work_type: 'atomic' } } },
          { op: 'update', ref: { type: 'work_item', lid: 'w', relationship: 'agent' }, data: { type: 'agent', lid: 'a' } },
        ],
      },
    });
    expect(done.status).toBe(200);
    const removed = await call(app, 'runAtomicOperations', { headers: atomic, body: { 'atomic:operations': [{ op: 'remove', ref: { type: 'work_item', id: done.body['atomic:results'][1].data.id } }] } });
    expect(removed.status).toBe(204);
    expect((await call(app, 'runAtomicOperations', { body: { 'atomic:operations': [] } })).status).toBe(415);
    expect((await call(app, 'runAtomicOperations', { headers: atomic, body: { 'atomic:operations': Array.from({ length: 101 }, () => ({ op: 'remove', ref: { type: 'agent', id: missing } })) } })).status).toBe(400);
    expect((await call(app, 'runAtomicOperations', { headers: atomic, body: { 'atomic:operations': [{ op: 'remove', ref: { type: 'agent', id: missing } }] } })).status).toBe(404);

    expect((await call(app, 'deleteAgent', { params: { id: done.body['atomic:results'][0].data.id } })).status).toBe(204);
    expect((await call(app, 'deleteAgent', { params: { id: need('agent') }, token: need('agentToken') })).status).toBe(403);
    expect((await call(app, 'deleteAgent', { params: { id: missing } })).status).toBe(404);
  });
});

describe('every coordination operation answers as documented', () => {
  it('registers, heartbeats, lists, submits, claims, starts, completes, fails and claims next in the envelope', async () => {
    const registered = await call(app, 'coordinationRegisterAgent', { token: '', body: { agent_id: 'coord-1', capabilities: ['build'] } });
    expect(registered.status).toBe(201);
    const token = String(registered.body.data.token);
    expect((await call(app, 'coordinationRegisterAgent', { token: '', body: { agent_id: 'coord-1' } })).status).toBe(409);
    expect((await call(app, 'coordinationRegisterAgent', { token: '', body: { agent_id: 5 } })).status).toBe(422);
    expect((await call(app, 'coordinationRegisterAgent', { token: '', body: { status: 'idle' } })).body.error).toBe('input_not_accepted');
    expect((await call(app, 'coordinationRegisterAgent', { token: '', body: [] })).status).toBe(400);
    expect((await call(app, 'coordinationRegisterAgent', { token: '', body: '<agent/>', headers: { 'content-type': 'application/xml' } })).status).toBe(415);
    expect((await call(app, 'coordinationRegisterAgent', { token: '', body: `{"metadata":{"blob":"${'x'.repeat(1_100_000)}"}}` })).status).toBe(413);

    expect((await call(app, 'coordinationAgentHeartbeat', { params: { agent_id: 'coord-1' }, token })).status).toBe(200);
    expect((await call(app, 'coordinationAgentHeartbeat', { params: { agent_id: 'nobody' }, token })).status).toBe(404);
    expect((await call(app, 'coordinationAgentHeartbeat', { params: { agent_id: 'contract-2' }, token })).status).toBe(403);
    expect((await call(app, 'coordinationAgentHeartbeat', { params: { agent_id: 'coord-1' }, token: 'bad' })).status).toBe(401);
    expect((await call(app, 'coordinationListAgents', { query: 'status=active&limit=10&offset=0' })).status).toBe(200);
    expect((await call(app, 'coordinationListAgents', { query: 'status=sleeping' })).status).toBe(400);
    expect((await call(app, 'coordinationListAgents', { token: '' })).status).toBe(401);

    const submitted = await call(app, 'coordinationSubmitWork', { token, body: { work_type: 'coord', priority: 'critical', payload: { velocity_points: 3 } } });
    expect(submitted.status).toBe(201);
    const workId = String(submitted.body.data.work_item_id);
    const second = String((await call(app, 'coordinationSubmitWork', { token, body: { work_type: 'coord' } })).body.data.id);
    expect((await call(app, 'coordinationSubmitWork', { token, body: { priority: 'urgent' } })).status).toBe(422);
    expect((await call(app, 'coordinationSubmitWork', { token: scraper, body: { work_type: 'coord' } })).status).toBe(403);
    expect((await call(app, 'coordinationListWorkItems', { token, query: 'status=pending&work_type=coord&priority=critical,medium' })).body.count).toBe(2);
    expect((await call(app, 'coordinationListWorkItems', { query: 'limit=x' })).status).toBe(400);

    expect((await call(app, 'coordinationClaimWork', { params: { work_id: workId }, token })).status).toBe(200);
    expect((await call(app, 'coordinationClaimWork', { params: { work_id: workId }, token })).status).toBe(409);
    expect((await call(app, 'coordinationClaimWork', { params: { work_id: 'work_0' }, token })).status).toBe(404);
    expect((await call(app, 'coordinationClaimWork', { params: { work_id: second }, body: { agent_id: 'coord-1', extra: 1 } })).status).toBe(400);
    expect((await call(app, 'coordinationClaimWork', { params: { work_id: second }, body: { claimed_by: 'not-a-uuid' } })).status).toBe(422);
    expect((await call(app, 'coordinationStartWork', { params: { work_id: workId }, token })).status).toBe(200);
    expect((await call(app, 'coordinationStartWork', { params: { work_id: workId }, token: need('agentToken') })).status).toBe(403);
    expect((await call(app, 'coordinationCompleteWork', { params: { work_id: workId }, token, body: { result: { ok: 1 } } })).status).toBe(200);
    expect((await call(app, 'coordinationCompleteWork', { params: { work_id: workId }, token })).status).toBe(409);
    expect((await call(app, 'coordinationFailWork', { params: { work_id: workId }, token })).status).toBe(409);
    expect((await call(app, 'coordinationClaimWork', { params: { work_id: second }, body: { agent_id: 'coord-1' } })).status).toBe(200);
    expect((await call(app, 'coordinationFailWork', { params: { work_id: second }, token, body: { result: { why: 'x' } } })).status).toBe(200);
    expect((await call(app, 'coordinationClaimNextWork', { token, body: { work_types: ['none-such'] } })).status).toBe(204);
    await call(app, 'coordinationSubmitWork', { token, body: { work_type: 'coord-next' } });
    expect((await call(app, 'coordinationClaimNextWork', { token, body: { work_types: ['coord-next'] } })).status).toBe(200);
    expect((await call(app, 'coordinationClaimNextWork', {})).status).toBe(403);
    expect((await call(app, 'coordinationClaimNextWork', { token, body: { work_types: 'x' } })).status).toBe(422);
    const status = await call(app, 'coordinationStatus', { token });
    expect(status.body.data.work.by_status.completed).toBeGreaterThanOrEqual(1);
    expect((await call(app, 'coordinationStatus', { token: '' })).status).toBe(401);
  });

  it('the live feed streams Server-Sent Events when the event bus runs', async () => {
    const bus = new EventBus({ connectionString: database.url }, { warn: () => undefined });
    await bus.start();
    const live = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), registry: await seedRegistry(), database, logger: false, auth: testAuth, bus });
    try {
      const unauthenticated = await live.inject({ method: 'GET', url: '/api/coordination/events' });
      expectDocumented('coordinationEvents', { status: unauthenticated.statusCode, headers: unauthenticated.headers, contentType: String(unauthenticated.headers['content-type']), raw: unauthenticated.rawPayload, text: unauthenticated.body, body: JSON.parse(unauthenticated.body) });
      const address = await live.listen({ host: '127.0.0.1', port: 0 });
      const controller = new AbortController();
      const response = await fetch(`${address}/api/coordination/events`, { headers: { authorization: 'Bearer test-admin-token-0123456789' }, signal: controller.signal });
      const reader = response.body?.getReader();
      const first = await reader?.read();
      controller.abort();
      const text = new TextDecoder().decode(first?.value);
      expect(text).toContain(': connected');
      expectDocumented('coordinationEvents', { status: response.status, headers: Object.fromEntries(response.headers), contentType: response.headers.get('content-type') ?? '', raw: Buffer.from(text), text, body: undefined });
    } finally {
      await live.close();
      await bus.stop();
    }
  });
});

/** Minimal OTLP/JSON export requests (opentelemetry-proto's JSON encoding). */
const otlpJson = {
  traces: { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [{ traceId, spanId: 'eee19b7ec3c1b174', name: 'contract', kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000' }] }] }] },
  metrics: { resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ metrics: [{ name: 'contract.count', sum: { dataPoints: [{ asInt: '3', timeUnixNano: '1700000000000000000' }], aggregationTemporality: 2, isMonotonic: true } }] }] }] },
  logs: { resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000000000000', severityNumber: 9, body: { stringValue: 'hello' } }] }] }] },
} as const;

describe('every OTLP and service operation answers as documented', () => {
  const signals = [
    ['Traces', 'traces'],
    ['Metrics', 'metrics'],
    ['Logs', 'logs'],
  ] as const;
  it.each(signals)('exports %s in JSON and protobuf, gzip too, and refuses what it documents', async (name, signal) => {
    for (const suffix of ['', 'AtCollectorPath']) {
      const operationId = `otlpExport${name}${suffix}`;
      const json = await call(app, operationId, { token: collector, body: otlpJson[signal] });
      expect(json.status, json.text).toBe(200);
      const protobuf = await call(app, operationId, { token: collector, body: Buffer.alloc(0), headers: { 'content-type': 'application/x-protobuf' } });
      expect(protobuf.status).toBe(200);
      expect(protobuf.contentType).toBe('application/x-protobuf');
      const gzipped = await call(app, operationId, { token: collector, body: gzipSync(JSON.stringify(otlpJson[signal])), headers: { 'content-encoding': 'gzip' } });
      expect(gzipped.status).toBe(200);
      expect((await call(app, operationId, { token: collector, body: '{"resource', headers: {} })).status).toBe(400);
      expect((await call(app, operationId, { token: collector, body: Buffer.from([0xff, 0xff, 0xff]), headers: { 'content-type': 'application/x-protobuf' } })).status).toBe(400);
      expect((await call(app, operationId, { token: '', body: otlpJson[signal] })).status).toBe(401);
      expect((await call(app, operationId, { token: scraper, body: otlpJson[signal] })).status).toBe(403);
      expect((await call(app, operationId, { token: collector, body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
      expect((await call(app, operationId, { token: collector, body: Buffer.alloc(70 * 1024 * 1024, 0x20) })).status).toBe(413);
    }
  });

  it('pipeline status, OTLP health and reading a trace back', async () => {
    const status = await call(app, 'otlpPipelineStatus');
    expect(status.body.data.total_pipelines_executed).toBeGreaterThan(0);
    expect((await call(app, 'otlpHealth')).status).toBe(200);
    expect((await call(app, 'otlpGetTrace', { params: { trace_id: traceId } })).body.resourceSpans.length).toBeGreaterThan(0);
    expect((await call(app, 'otlpGetTrace', { params: { trace_id: traceId }, query: 'format=jaeger' })).body.data).toHaveLength(1);
    expect((await call(app, 'otlpGetTrace', { params: { trace_id: 'f'.repeat(32) } })).status).toBe(404);
    expect((await call(app, 'otlpGetTrace', { params: { trace_id: 'xyz' } })).status).toBe(400);
    expect((await call(app, 'otlpGetTrace', { params: { trace_id: traceId }, token: '' })).status).toBe(401);
  });

  it('health, metrics, the document and its viewer', async () => {
    const health = await call(app, 'getHealth', { token: '' });
    expect(health.body.services.database).toBe('ok');
    expect((await call(app, 'getMetrics', { token: scraper })).text).toContain('self_sustaining_');
    expect((await call(app, 'getMetrics', { token: '' })).status).toBe(401);
    expect((await call(app, 'getMetrics', { token: need('agentToken') })).status).toBe(403);
    expect((await call(app, 'getOpenApiDocument', { token: '' })).body.openapi).toBe('3.1.0');
    expect((await call(app, 'getApiReference', { token: '' })).text).toContain('swagger-ui');
  });

  it('an unreachable database: every family answers its documented, retryable 503', async () => {
    const port = await freePort();
    const pool = createPool({ connectionString: `postgres://postgres@127.0.0.1:${port}/none`, max: 1, onError: () => undefined });
    const down = await testApp({ pool, db: createDatabase(pool) });
    try {
      const ask = (operationId: string, request: Parameters<typeof call>[2] = {}) => call(down, operationId, request);
      expect((await ask('getHealth', { token: '' })).status).toBe(503);
      expect((await ask('otlpHealth', { token: '' })).status).toBe(503);
      expect((await ask('getAgent', { params: { id: missing }, token: scraper })).status).toBe(503);
      expect((await ask('listAgents', { token: scraper })).headers['retry-after']).toBe('5');
      expect((await ask('coordinationStatus', { token: scraper })).status).toBe(503);
      expect((await ask('otlpExportTraces', { token: collector, body: otlpJson.traces })).status).toBe(503);
      expect((await ask('otlpGetTrace', { params: { trace_id: traceId } })).status).toBe(503);
      // An agent-shaped token is looked up in PostgreSQL.
      expect((await ask('getMetrics', { token: 'ssa_unknown' })).status).toBe(503);
    } finally {
      await down.close();
      await pool.end();
    }
  });
});

describe('coverage', () => {
  it('made a real request to every operation of the document, each answer checked against it', () => {
    const untested = operations.map((o) => o.operationId).filter((id) => !coverage.has(id));
    expect(untested).toEqual([]);
    // Every operation was seen succeeding; most also failing as documented.
    for (const operation of operations) {
      const seen = [...(coverage.get(operation.operationId) ?? [])];
      expect(seen.some((status) => status.startsWith('2')), `${operation.operationId} never succeeded (${seen.join(', ')})`).toBe(true);
    }
    const errorStatuses = [...coverage.values()].flatMap((statuses) => [...statuses].filter((s) => Number(s) >= 400));
    expect(new Set(errorStatuses)).toEqual(new Set(['400', '401', '403', '404', '406', '409', '413', '415', '422', '503']));
    expect(operationById('listAgents').value['security']).toEqual([{ bearerAuth: [] }]);
  });
});
