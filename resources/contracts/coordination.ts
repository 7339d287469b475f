import type { ErrorCode } from './error-catalog.ts';
import { actionInput, attributesOf, closedObject, countsOf, nullable, resourceRow, type JsonSchema, type ParameterContract, type RouteContract } from './contract.ts';

/**
 * /api/coordination: the seed's compact coordination routes, in the original's envelope
 * (src/server/coordination/routes.ts). Every route runs a resource action, so bodies are the actions' inputs.
 */
const prefix = '/api/coordination';
const tag = 'coordination';

const ok = (data: JsonSchema, extra: Readonly<Record<string, JsonSchema>> = {}): JsonSchema =>
  closedObject({ status: { const: 'ok' }, data, ...extra });
const json = (schema: JsonSchema) => ({ 'application/json': schema });

const agentMembers = {
  id: 'id',
  agent_id: 'agent_id',
  status: 'status',
  capabilities: 'capabilities',
  metadata: 'metadata',
  last_heartbeat: 'last_heartbeat',
  registered_at: 'inserted_at',
};
const claimant = {
  claimed_by: { ...nullable({ type: 'string' }), description: 'The agent_id of the claiming agent.' },
  claimed_by_id: { ...nullable({ type: 'string', format: 'uuid' }), description: 'The id of the claiming agent.' },
};
const workView = attributesOf(
  'work_item',
  {
    id: 'id',
    work_item_id: 'work_item_id',
    work_type: 'work_type',
    description: 'description',
    priority: 'priority',
    team: 'team',
    status: 'status',
    claimed_at: 'claimed_at',
    completed_at: 'completed_at',
    payload: 'payload',
    result: 'result',
    created_at: 'inserted_at',
    updated_at: 'updated_at',
  },
  claimant,
);

const common: readonly ErrorCode[] = ['UNAUTHORIZED', 'TOO_MANY_REQUESTS', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'];
/** Body parsing (Fastify) and the action's input checks. */
const withBody: readonly ErrorCode[] = [...common, 'INVALID_BODY', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INPUT_NOT_ACCEPTED', 'VALIDATION_FAILED'];
/** Running an update action on a record found by its external id or uuid. */
const transition: readonly ErrorCode[] = [...withBody, 'FORBIDDEN', 'RESOURCE_NOT_FOUND', 'STATE_CONFLICT'];
const listing: readonly ErrorCode[] = [...common, 'INVALID_FILTER', 'INVALID_PAGE'];

const pathParameter = (name: string, description: string): ParameterContract => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const workId = pathParameter('work_id', 'The work item: its work_item_id (`work_<19 digits>`) or its uuid.');
const paging: readonly ParameterContract[] = [
  { name: 'limit', in: 'query', description: 'Rows to return (default 100, clamped to the resource maximum).', schema: { type: 'string', pattern: '^[0-9]+$' } },
  { name: 'offset', in: 'query', description: 'Rows to skip.', schema: { type: 'string', pattern: '^[0-9]+$' } },
];
const filterParameter = (name: string, description: string): ParameterContract => ({ name, in: 'query', description, schema: { type: 'string' } });

const transitionRoute = (path: 'claim' | 'start' | 'complete' | 'fail', action: string, operationId: string, summary: string, body: JsonSchema): RouteContract => ({
  method: 'PUT',
  path: `${prefix}/work_items/{work_id}/${path}`,
  operationId,
  tag,
  summary,
  description: `Runs the work_item ${action} action (the same as PATCH /api/json/work_items/{id}/${path}).`,
  security: 'bearer',
  parameters: [workId],
  requestBody: { required: false, content: json(body) },
  responses: { '200': { description: 'The work item after the transition.', content: json(ok(workView)) } },
  errors: { format: 'coordination', codes: path === 'claim' ? [...transition, 'RELATED_RESOURCE_NOT_FOUND'] : transition },
});

export const coordinationContracts: readonly RouteContract[] = [
  {
    method: 'POST',
    path: `${prefix}/agents/register`,
    operationId: 'coordinationRegisterAgent',
    tag,
    summary: 'Register an agent',
    description: 'Runs the agent register action. `data.token` is the agent\'s bearer token, shown only this once.',
    security: 'optional',
    requestBody: { required: false, content: json(actionInput('agent', 'register')) },
    responses: {
      '201': {
        description: 'The registered agent and its token.',
        content: json(ok(attributesOf('agent', agentMembers, { token: nullable({ type: 'string' }) }), { message: { type: 'string' } })),
      },
    },
    errors: { format: 'coordination', codes: [...withBody, 'FORBIDDEN', 'CONFLICT'] },
  },
  {
    method: 'PUT',
    path: `${prefix}/agents/{agent_id}/heartbeat`,
    operationId: 'coordinationAgentHeartbeat',
    tag,
    summary: 'Record an agent heartbeat',
    security: 'bearer',
    parameters: [pathParameter('agent_id', 'The agent: its agent_id or its uuid.')],
    responses: {
      '200': {
        description: 'The agent is active again.',
        content: json(ok(attributesOf('agent', { agent_id: 'agent_id', status: 'status', last_heartbeat: 'last_heartbeat' }))),
      },
    },
    errors: { format: 'coordination', codes: [...common, 'INVALID_BODY', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'FORBIDDEN', 'RESOURCE_NOT_FOUND', 'STATE_CONFLICT'] },
  },
  {
    method: 'GET',
    path: `${prefix}/agents`,
    operationId: 'coordinationListAgents',
    tag,
    summary: 'List agents',
    security: 'bearer',
    parameters: [filterParameter('status', 'Only agents with this status (a comma list means any of them).'), ...paging],
    responses: {
      '200': {
        description: 'Agents, oldest first.',
        content: json(ok({ type: 'array', items: resourceRow('agent') }, { count: { type: 'integer', minimum: 0 } })),
      },
    },
    errors: { format: 'coordination', codes: listing },
  },
  {
    method: 'POST',
    path: `${prefix}/work_items`,
    operationId: 'coordinationSubmitWork',
    tag,
    summary: 'Submit a work item',
    security: 'bearer',
    requestBody: { required: true, content: json(actionInput('work_item', 'submit_work')) },
    responses: { '201': { description: 'The submitted work item, pending.', content: json(ok(workView)) } },
    errors: { format: 'coordination', codes: [...withBody, 'FORBIDDEN'] },
  },
  {
    method: 'GET',
    path: `${prefix}/work_items`,
    operationId: 'coordinationListWorkItems',
    tag,
    summary: 'List work items',
    description: 'Highest priority first, then oldest first.',
    security: 'bearer',
    parameters: [
      filterParameter('status', 'Only items with this status (a comma list means any of them).'),
      filterParameter('work_type', 'Only items of this work type (a comma list means any of them).'),
      filterParameter('priority', 'Only items of this priority (a comma list means any of them).'),
      ...paging,
    ],
    responses: {
      '200': {
        description: 'Work items.',
        content: json(ok({ type: 'array', items: resourceRow('work_item', { extra: claimant }) }, { count: { type: 'integer', minimum: 0 } })),
      },
    },
    errors: { format: 'coordination', codes: listing },
  },
  transitionRoute(
    'claim',
    'claim_work',
    'coordinationClaimWork',
    'Claim a pending work item',
    actionInput('work_item', 'claim_work', {
      optional: ['claimed_by'],
      extra: { agent_id: { type: 'string', description: 'The admin names the claiming agent (agent_id or uuid); an agent always claims as itself.' } },
    }),
  ),
  transitionRoute('start', 'start_work', 'coordinationStartWork', 'Start a claimed work item', actionInput('work_item', 'start_work')),
  transitionRoute('complete', 'complete_work', 'coordinationCompleteWork', 'Complete a work item in progress', actionInput('work_item', 'complete_work')),
  transitionRoute('fail', 'fail_work', 'coordinationFailWork', 'Fail a claimed or in-progress work item', actionInput('work_item', 'fail_work')),
  {
    method: 'POST',
    path: `${prefix}/work_items/claim_next`,
    operationId: 'coordinationClaimNextWork',
    tag,
    summary: 'Claim the next pending work item',
    description: 'The pending item of highest priority, oldest first, among the given work types / capabilities (FOR UPDATE SKIP LOCKED).',
    security: 'bearer',
    requestBody: { required: false, content: json(actionInput('work_item', 'claim_next')) },
    responses: {
      '200': { description: 'The work item now claimed by the calling agent.', content: json(ok(workView)) },
      '204': { description: 'No pending work item matches.' },
    },
    errors: { format: 'coordination', codes: [...withBody, 'FORBIDDEN', 'STATE_CONFLICT'] },
  },
  {
    method: 'GET',
    path: `${prefix}/events`,
    operationId: 'coordinationEvents',
    tag,
    summary: 'Follow coordination events (Server-Sent Events)',
    description:
      'Committed changes of every server process as Server-Sent Events (`event: coordination.work.claimed`, `data:` a JSON object). ' +
      'Served when the server runs its PostgreSQL event bus (npm start does).',
    security: 'bearer',
    responses: {
      '200': {
        description: 'An endless event stream.',
        content: { 'text/event-stream': { type: 'string', description: 'SSE frames; each `data:` line holds {event, resource, action, id, trace_id, at, attributes}.' } },
      },
    },
    errors: { format: 'coordination', codes: common },
  },
  {
    method: 'GET',
    path: `${prefix}/status`,
    operationId: 'coordinationStatus',
    tag,
    summary: 'Coordination status',
    description: 'Agents, work by status and priority, throughput, health score and velocity, computed by PostgreSQL.',
    security: 'bearer',
    responses: {
      '200': {
        description: 'The coordination status.',
        content: json(
          ok(
            closedObject({
              agents: closedObject({ active: { type: 'integer', minimum: 0 }, total: { type: 'integer', minimum: 0 } }),
              work: closedObject({
                by_status: countsOf('work_item', 'status'),
                by_priority: countsOf('work_item', 'priority'),
                pending_by_priority: countsOf('work_item', 'priority'),
              }),
              performance: closedObject({
                operations_per_hour: { type: 'integer', minimum: 0 },
                mean_claim_to_complete_minutes: { type: ['number', 'null'] },
              }),
              health_score: { type: 'integer', minimum: 0, maximum: 100 },
              velocity: closedObject({ total_points: { type: 'integer', minimum: 0 }, last_hour_points: { type: 'integer', minimum: 0 } }),
              timestamp: { type: 'string', format: 'date-time' },
              trace_id: { type: 'string' },
            }),
          ),
        ),
      },
    },
    errors: { format: 'coordination', codes: common },
  },
];
