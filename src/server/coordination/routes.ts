import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonValue } from '../../../resources/define.ts';
import { jsonApiType, type ActionModel, type ResourceModel } from '../../../resources/model/index.ts';
import type { ActionContext, ResourceRecord } from '../../actions/context.ts';
import { readScope, runActionDetailed, runTargeted } from '../../actions/run-action.ts';
import { coordinationStatus } from '../../coordination/status.ts';
import { ApiError } from '../../jsonapi/errors.ts';
import { fetchCollection } from '../../jsonapi/operations/fetch-collection.ts';
import { parseQuery } from '../../jsonapi/query/parse-query.ts';
import type { RawQuery } from '../../jsonapi/query/raw.ts';
import { operationContext, requestOrigin } from '../jsonapi/context.ts';
import { ok, sendEnvelopeError } from './envelope.ts';
import { createAjv } from '../../jsonapi/body/ajv.ts';
import { compileBodyValidator, type BodyValidator } from '../../jsonapi/body/validate-body.ts';
import type { EventBus } from '../../events/bus.ts';
import { liveFeedRoute } from './live-feed.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actionOf(resource: ResourceModel, name: string): ActionModel {
  const action = resource.actions.find((a) => a.name === name);
  if (action === undefined) throw new Error(`${resource.name} has no action ${name}`);
  return action;
}

const bodyOf = (request: FastifyRequest): Record<string, JsonValue> => {
  const body: unknown = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ApiError('INVALID_BODY', { detail: 'The body must be a JSON object' });
  return body as Record<string, JsonValue>;
};

const param = (request: FastifyRequest, name: string): string => String((request.params as Readonly<Record<string, string>>)[name] ?? '');

/**
 * /api/coordination: the seed's compact coordination routes, in the original's envelope. Thin: every route runs the
 * same resource actions, with the same authentication and policies, as /api/json (no second implementation).
 */
export async function coordinationRoutes(app: FastifyInstance, options: { readonly bus?: EventBus }): Promise<void> {
  const { registry } = app;
  const agents = registry.resource('agent');
  const items = registry.resource('work_item');
  app.setErrorHandler(async (error, request, reply) => sendEnvelopeError(request, reply, error));
  app.setNotFoundHandler(async (request, reply) =>
    sendEnvelopeError(request, reply, new ApiError('ROUTE_NOT_FOUND', { detail: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` })),
  );
  app.addHook('onRequest', async (request) => {
    await app.authenticate(request);
  });

  // The same generated schemas /api/json validates with (openapi/schemas.ts), applied to the flat body: one set of rules.
  const ajv = createAjv();
  const validators = new Map<ActionModel, BodyValidator>();
  const checked = (resource: ResourceModel, action: ActionModel, input: Record<string, JsonValue>): Record<string, JsonValue> => {
    let validate = validators.get(action);
    if (validate === undefined) {
      const schema = registry.schemas(resource).actions[action.name];
      if (schema === undefined) return input;
      validate = compileBodyValidator(ajv, schema);
      validators.set(action, validate);
    }
    return { ...validate({ data: { type: jsonApiType(resource), attributes: input } }).attributes };
  };
  /** Runs a resource action on a validated body, as /api/json would. */
  const run = (request: FastifyRequest, resource: ResourceModel, action: ActionModel, input: Record<string, JsonValue>, id?: string) =>
    runActionDetailed(contextOf(request), { resource, action, input: checked(resource, action, input), ...(id === undefined ? {} : { id }) });

  const contextOf = (request: FastifyRequest): ActionContext => ({
    registry,
    db: app.db,
    actor: request.actor,
    context: app.serverContext,
    events: app.eventSink,
    traceId: request.traceId,
    observe: app.observeAction,
  });

  /** `:agent_id` / `:work_id`: the external id (agent_id, work_item_id) or the uuid, as far as the actor may see. */
  async function resolve(request: FastifyRequest, resource: ResourceModel, attribute: string, value: string, what: string): Promise<string> {
    const column = uuidPattern.test(value) ? resource.primaryKey.name : attribute;
    const key = registry.column(resource, resource.primaryKey.name);
    const [row] = await app.db
      .select({ id: key })
      .from(registry.table(resource))
      .where(and(eq(registry.column(resource, column), value), readScope(contextOf(request), resource)))
      .limit(1);
    if (row === undefined) throw new ApiError('RESOURCE_NOT_FOUND', { detail: `No ${what} ${JSON.stringify(value)}` });
    return String(row.id);
  }

  /** The agent_id of claimants, for the original's `claimed_by: <agent_id>`. */
  async function agentIds(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await app.db
      .select({ id: registry.column(agents, 'id'), agent_id: registry.column(agents, 'agent_id') })
      .from(registry.table(agents))
      .where(inArray(registry.column(agents, 'id'), unique));
    return new Map(rows.map((r) => [String(r.id), String(r.agent_id)]));
  }

  const agentView = (record: ResourceRecord) => ({
    id: record['id'],
    agent_id: record['agent_id'],
    status: record['status'],
    capabilities: record['capabilities'],
    metadata: record['metadata'],
    last_heartbeat: record['last_heartbeat'],
    registered_at: record['inserted_at'],
  });
  const workView = (record: ResourceRecord, claimants: ReadonlyMap<string, string>) => ({
    id: record['id'],
    work_item_id: record['work_item_id'],
    work_type: record['work_type'],
    description: record['description'],
    priority: record['priority'],
    team: record['team'] ?? null,
    status: record['status'],
    claimed_by: typeof record['claimed_by'] === 'string' ? (claimants.get(record['claimed_by']) ?? null) : null,
    claimed_by_id: record['claimed_by'] ?? null,
    claimed_at: record['claimed_at'],
    completed_at: record['completed_at'],
    payload: record['payload'],
    result: record['result'],
    created_at: record['inserted_at'],
    updated_at: record['updated_at'],
  });
  const workViewOf = async (record: ResourceRecord) =>
    workView(record, await agentIds(typeof record['claimed_by'] === 'string' ? [record['claimed_by']] : []));

  /** Lists through the JSON:API engine (same policies, liveness, paging), reshaped into the envelope. */
  async function list(request: FastifyRequest, resource: ResourceModel, filters: Record<string, string>) {
    const ctx = operationContext(request);
    const query = request.query as Readonly<Record<string, unknown>>;
    const given = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
    const raw: RawQuery = {
      ...(Object.keys(given).length === 0 ? {} : { filter: given }),
      page: { limit: typeof query['limit'] === 'string' ? query['limit'] : '100', offset: typeof query['offset'] === 'string' ? query['offset'] : '0' },
      ...(resource === items ? { sort: '-priority,inserted_at' } : {}),
    };
    const parsed = parseQuery(raw, resource, ctx, 'collection');
    const action = resource.actions.find((a) => a.type === 'read' && a.primary);
    if (action === undefined) throw new Error(`${resource.name} has no primary read`);
    const document = await fetchCollection(ctx, { resource, action, query: parsed, target: { origin: requestOrigin(request), path: request.url.split('?')[0] ?? '', query: raw } });
    return document.data.map((object): Record<string, JsonValue> => ({
      id: object.id,
      ...object.attributes,
      // To-one relationships as the original's `<name>_id` columns (to-many ones are not columns).
      ...Object.fromEntries(
        resource.relationships
          .filter((r) => r.kind === 'belongs_to')
          .map((r) => [`${r.name}_id`, ((object.relationships?.[r.name] as { data?: { id?: string } | null } | undefined)?.data ?? null)?.id ?? null]),
      ),
    }));
  }

  const stringFilter = (query: unknown, name: string): string => {
    const value = (query as Readonly<Record<string, unknown>>)[name];
    return typeof value === 'string' ? value : '';
  };

  app.post('/agents/register', async (request, reply) => {
    const outcome = await run(request, agents, actionOf(agents, 'register'), bodyOf(request));
    return reply.status(201).send(ok({ ...agentView(outcome.record), token: outcome.meta['token'] ?? null }, { message: 'Agent registered; keep the token, it is shown only once' }));
  });

  app.put('/agents/:agent_id/heartbeat', async (request) => {
    const id = await resolve(request, agents, 'agent_id', param(request, 'agent_id'), 'agent');
    const outcome = await run(request, agents, actionOf(agents, 'heartbeat'), {}, id);
    return ok({ agent_id: outcome.record['agent_id'], status: outcome.record['status'], last_heartbeat: outcome.record['last_heartbeat'] });
  });

  app.get('/agents', async (request) => {
    const rows = await list(request, agents, { status: stringFilter(request.query, 'status') });
    return ok(rows, { count: rows.length });
  });

  app.post('/work_items', async (request, reply) => {
    const outcome = await run(request, items, actionOf(items, 'submit_work'), bodyOf(request));
    return reply.status(201).send(ok(await workViewOf(outcome.record)));
  });

  app.get('/work_items', async (request) => {
    const rows = await list(request, items, {
      status: stringFilter(request.query, 'status'),
      work_type: stringFilter(request.query, 'work_type'),
      priority: stringFilter(request.query, 'priority'),
    });
    const claimants = await agentIds(rows.map((r) => r['agent_id']).filter((v): v is string => typeof v === 'string'));
    return ok(
      rows.map(({ agent_id: claimedById, ...row }) => ({ ...row, claimed_by: typeof claimedById === 'string' ? (claimants.get(claimedById) ?? null) : null, claimed_by_id: claimedById })),
      { count: rows.length },
    );
  });

  /** claim / start / complete / fail: the same actions as PATCH /api/json/work_items/:id/<transition>. */
  const transitions = { claim: 'claim_work', start: 'start_work', complete: 'complete_work', fail: 'fail_work' } as const;
  for (const [path, actionName] of Object.entries(transitions)) {
    app.put(`/work_items/:work_id/${path}`, async (request) => {
      const id = await resolve(request, items, 'work_item_id', param(request, 'work_id'), 'work item');
      const body = bodyOf(request);
      let input: Record<string, JsonValue> = body;
      if (actionName === 'claim_work') {
        // The original took {"agent_id": ...}; an agent claims as itself, an admin names the agent.
        const { agent_id: agentId, ...rest } = body;
        input = typeof agentId === 'string' && request.actor?.['type'] !== 'agent' ? { ...rest, claimed_by: await resolve(request, agents, 'agent_id', agentId, 'agent') } : rest;
      }
      const outcome = await run(request, items, actionOf(items, actionName), input, id);
      return ok(await workViewOf(outcome.record));
    });
  }

  app.post('/work_items/claim_next', async (request, reply) => {
    const claimNext = actionOf(items, 'claim_next');
    const outcome = await runTargeted(contextOf(request), { resource: items, action: claimNext, input: checked(items, claimNext, bodyOf(request)) });
    if (outcome === undefined) return reply.status(204).send();
    return ok(await workViewOf(outcome.record));
  });

  if (options.bus !== undefined) liveFeedRoute(app, options.bus);

  app.get('/status', async (request) => {
    if (request.actor === undefined) throw new ApiError('UNAUTHORIZED', { detail: 'Authentication is required to read the coordination status' });
    const offline = app.serverContext['agent_offline_after_ms'];
    return ok({ ...(await coordinationStatus(app.db, registry, typeof offline === 'number' ? offline : 90_000)), timestamp: new Date().toISOString(), trace_id: request.traceId });
  });
}
