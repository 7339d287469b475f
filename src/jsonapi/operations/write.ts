import type { JsonValue } from '../../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../../resources/model/index.ts';
import { runActionDetailed, runTargeted } from '../../actions/run-action.ts';
import type { ActionContext, ActionOutcome } from '../../actions/context.ts';
import type { ResourceDocumentInput } from '../body/validate-body.ts';
import type { OperationContext } from '../context.ts';
import { fillId, shapeOf } from '../document/shape.ts';
import { ApiError } from '../errors.ts';
import type { ParsedQuery } from '../query/parse-query.ts';
import { singleDocument } from './fetch-one.ts';

export interface WriteRequest {
  readonly resource: ResourceModel;
  readonly action: ActionModel;
  /** The validated request document, or undefined for an action route called without a body. */
  readonly body: ResourceDocumentInput | undefined;
  /** The path id for member routes. */
  readonly id?: string;
  readonly query: ParsedQuery;
}

/** The action's input: attributes, plus foreign keys given as relationship linkage (`relationships.agent.data.id`). */
export function actionInput(resource: ResourceModel, body: ResourceDocumentInput | undefined): Record<string, JsonValue> {
  if (body === undefined) return {};
  const input: Record<string, JsonValue> = { ...body.attributes };
  for (const [name, id] of Object.entries(body.relationships)) {
    const relationship = resource.relationships.find((r) => r.name === name);
    if (relationship === undefined) continue;
    if (relationship.sourceAttribute in input && input[relationship.sourceAttribute] !== id) {
      throw new ApiError('INVALID_BODY', {
        detail: `${relationship.sourceAttribute} and relationships.${name} disagree; give one of them`,
        source: { pointer: `/data/relationships/${name}` },
      });
    }
    input[relationship.sourceAttribute] = id;
  }
  return input;
}

const actionContext = (ctx: OperationContext): ActionContext => ({
  registry: ctx.registry,
  db: ctx.db,
  actor: ctx.actor,
  context: ctx.policyContext,
  ...(ctx.events === undefined ? {} : { events: ctx.events }),
  ...(ctx.traceId === undefined ? {} : { traceId: ctx.traceId }),
  ...(ctx.observe === undefined ? {} : { observe: ctx.observe }),
  ...(ctx.afterCommit === undefined ? {} : { afterCommit: ctx.afterCommit }),
});

/** An action that picks its own row (claim-next): the record it took, or undefined when there was none. */
export async function runTargetedWrite(ctx: OperationContext, request: Omit<WriteRequest, 'id'>): Promise<ActionOutcome | undefined> {
  return runTargeted(actionContext(ctx), { resource: request.resource, action: request.action, input: actionInput(request.resource, request.body) });
}

/** Runs the route's action on the validated input, scoped to what the request may see. */
export async function runWrite(ctx: OperationContext, request: WriteRequest): Promise<ActionOutcome> {
  if (request.body?.id !== undefined && request.id !== undefined && request.body.id !== request.id) {
    throw new ApiError('TYPE_MISMATCH', { detail: `data.id ${JSON.stringify(request.body.id)} does not match the URL's id`, source: { pointer: '/data/id' } });
  }
  if (request.id === undefined && request.body?.id !== undefined) {
    throw new ApiError('CLIENT_ID_NOT_ALLOWED', { detail: 'The server generates ids; leave data.id out (use data.lid to refer to it in atomic operations)', source: { pointer: '/data/id' } });
  }
  return runActionDetailed(
    actionContext(ctx),
    {
      resource: request.resource,
      action: request.action,
      input: actionInput(request.resource, request.body),
      ...(request.id === undefined ? {} : { id: request.id }),
    },
  );
}

/** The document a write answers with (the record after the action), and where it lives. */
export async function writtenDocument(ctx: OperationContext, resource: ResourceModel, outcome: ActionOutcome, query: ParsedQuery) {
  const shape = shapeOf(ctx.registry, resource);
  const id = String(outcome.record[shape.primaryKey]);
  const location = shape.selfPath === undefined ? undefined : ctx.origin + fillId(shape.selfPath, id);
  const document = await singleDocument(ctx, resource, outcome.record, query, location ?? '');
  // Action meta (a token shown once) goes in the document's top-level meta.
  const meta = Object.keys(outcome.meta).length === 0 ? {} : { meta: outcome.meta };
  return { document: { ...document, ...(location === undefined ? { links: {} } : {}), ...meta }, location };
}
