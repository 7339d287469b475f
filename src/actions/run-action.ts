import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { ActionType } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import { translateDatabaseError } from '../db/sql-errors.ts';
import { ApiError, notFound } from '../jsonapi/errors.ts';
import type { PolicySubject } from '../policies/checks.ts';
import { decide, type Decision } from '../policies/decide.ts';
import { exprToSql } from '../query/expr-to-sql.ts';
import type { ActionContext, ActionOutcome, ActionRequest, ResourceRecord } from './context.ts';
import { decodeRow } from './decode.ts';
import { actionGuards } from './guards.ts';
import { checkInput } from './input.ts';
import { applicableChanges, writePlan } from './write-values.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const subjectOf = (ctx: ActionContext, resource: ResourceModel, action: ActionModel): PolicySubject => ({
  registry: ctx.registry,
  resource,
  action,
  actor: ctx.actor,
  context: ctx.context ?? {},
});

/** The resource's primary read action: what "may this actor see the row" is decided by. */
export function primaryReadAction(resource: ResourceModel): ActionModel {
  const action = resource.actions.find((a) => a.type === 'read' && a.primary) ?? resource.actions.find((a) => a.type === 'read');
  if (action === undefined) throw new Error(`${resource.name} has no read action`);
  return action;
}

const asScope = (decision: Decision): SQL | undefined =>
  decision.kind === 'allow' ? undefined : decision.kind === 'deny' ? sql`false` : decision.formula.sql;

/**
 * The rows of `resource` the actor may see, as a WHERE predicate (undefined = all): read policies compiled to SQL.
 * Every read path applies it, and writes only ever touch rows inside it, so a hidden row is always a 404.
 */
export function readScope(ctx: ActionContext, resource: ResourceModel, action: ActionModel = primaryReadAction(resource)): SQL | undefined {
  return asScope(decide(subjectOf(ctx, resource, action)));
}

/** An anonymous request for something only actors may read is asked to authenticate (401), not shown nothing. */
export function requireReader(ctx: ActionContext, resource: ResourceModel, action: ActionModel = primaryReadAction(resource)): void {
  if (ctx.actor !== undefined) return;
  const decision = decide(subjectOf(ctx, resource, action));
  if (decision.kind === 'deny') throw denied(ctx, decision.message);
}

/** A denial: 401 for an anonymous actor (authenticate and retry), 403 with the policy's message otherwise. */
function denied(ctx: ActionContext, message: string): ApiError {
  return ctx.actor === undefined ? new ApiError('UNAUTHORIZED', { detail: message }) : new ApiError('FORBIDDEN', { detail: message });
}

/** The row, as far as this actor may see it, or undefined when the id is not a uuid at all. */
function visibleRow(ctx: ActionContext, request: ActionRequest): SQL | undefined {
  const id = request.id;
  if (id === undefined || !uuidPattern.test(id)) return undefined;
  return and(eq(ctx.registry.column(request.resource, request.resource.primaryKey.name), id), readScope(ctx, request.resource));
}

const missing = (request: ActionRequest): ApiError => notFound(request.resource.jsonApi?.type ?? request.resource.name, request.id ?? '');

/**
 * After a guarded write touched no row: was the row missing or hidden (404), did the write policy refuse (403), or
 * did a validation not hold (409 with its message)? `undefined` means all hold now: the row changed in between.
 */
async function explainNoRow(ctx: ActionContext, request: ActionRequest, where: SQL, decision: Decision): Promise<ApiError | undefined> {
  const guards = actionGuards(ctx.registry, request.resource, request.action);
  const table = ctx.registry.table(request.resource);
  const holds = guards.length === 0 ? sql`ARRAY[]::boolean[]` : sql`ARRAY[${sql.join(guards.map((g) => sql`(${g})`), sql`, `)}]`;
  const policy = decision.kind === 'filter' ? decision.formula.sql : sql`true`;
  const [row] = await ctx.db.select({ holds: sql<boolean[]>`${holds}`, allowed: sql<boolean>`(${policy})` }).from(table).where(where);
  if (row === undefined) return missing(request);
  if (row.allowed !== true && decision.kind !== 'allow') return denied(ctx, decision.message);
  const failed = request.action.validations.find((_, i) => row.holds[i] !== true);
  if (failed === undefined) return undefined;
  return new ApiError('STATE_CONFLICT', {
    detail: failed.message,
    field: { kind: 'attribute', name: failed.attribute },
    meta: { action: request.action.name, validation: failed.kind },
  });
}

/** A refused write: 401 when anonymous (before anything is looked up), else 404 for a row it cannot see, else 403. */
async function refusal(ctx: ActionContext, request: ActionRequest, where: SQL, message: string): Promise<ApiError> {
  if (ctx.actor === undefined) return denied(ctx, message);
  const [row] = await ctx.db.select({ present: sql<number>`1` }).from(ctx.registry.table(request.resource)).where(where);
  return row === undefined ? missing(request) : denied(ctx, message);
}

/** Input checked against the action; attributes a change sets for this actor need not be given. */
function inputFor(ctx: ActionContext, request: ActionRequest) {
  const setByChanges = new Set(applicableChanges(subjectOf(ctx, request.resource, request.action)).map((c) => c.attribute));
  return checkInput(request.resource, request.action, request.input, setByChanges);
}

async function runCreate(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const subject = subjectOf(ctx, request.resource, request.action);
  const decision = decide(subject);
  // Anonymous: anything short of a plain yes means "authenticate first".
  if (decision.kind === 'deny' || (ctx.actor === undefined && decision.kind !== 'allow')) throw denied(ctx, decision.message);
  const plan = writePlan(subject, request, inputFor(ctx, request));
  const table = ctx.registry.table(request.resource);
  const insert = async (db: ActionContext['db']): Promise<ResourceRecord> => {
    const [row] = await db.insert(table).values(plan.values).returning();
    if (row === undefined) throw new Error(`insert into ${request.resource.table} returned no row`);
    return decodeRow(request.resource, row);
  };
  if (decision.kind === 'allow') return { record: await insert(ctx.db), meta: plan.meta };
  // A policy that depends on the new row itself: insert, check it in the same transaction, roll back if refused.
  const record = await ctx.db.transaction(async (tx) => {
    const created = await insert(tx);
    const key = eq(ctx.registry.column(request.resource, request.resource.primaryKey.name), String(created[request.resource.primaryKey.name]));
    const [allowed] = await tx.select({ ok: sql<number>`1` }).from(table).where(and(key, decision.formula.sql));
    if (allowed === undefined) throw denied(ctx, decision.message);
    return created;
  });
  return { record, meta: plan.meta };
}

/**
 * One conditional UPDATE ... WHERE id = $1 AND <read scope> AND <write policy> AND <validations> RETURNING *:
 * visibility, permission, state check and write are one statement.
 */
async function runUpdate(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const subject = subjectOf(ctx, request.resource, request.action);
  const decision = decide(subject);
  if (ctx.actor === undefined && decision.kind !== 'allow') throw denied(ctx, decision.message);
  const where = visibleRow(ctx, request);
  if (where === undefined) throw missing(request);
  const input = inputFor(ctx, request);
  const table = ctx.registry.table(request.resource);
  if (decision.kind === 'deny') throw await refusal(ctx, request, where, decision.message);
  const plan = writePlan(subject, request, input);
  const guarded = and(where, decision.kind === 'filter' ? decision.formula.sql : undefined, ...actionGuards(ctx.registry, request.resource, request.action));
  // A concurrent writer can flip the state back between the UPDATE and the explanation; one more try settles it.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const [row] = await ctx.db.update(table).set(plan.values).where(guarded).returning();
    if (row !== undefined) return { record: decodeRow(request.resource, row), meta: plan.meta };
    const reason = await explainNoRow(ctx, request, where, decision);
    if (reason !== undefined) throw reason;
  }
  throw new ApiError('STATE_CONFLICT', { detail: `${request.resource.name} changed concurrently; retry`, retryAfter: 1 });
}

/** DELETE ... WHERE id = $1 AND <read scope> AND <write policy> AND <validations> RETURNING *. */
async function runDestroy(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const decision = decide(subjectOf(ctx, request.resource, request.action));
  if (ctx.actor === undefined && decision.kind !== 'allow') throw denied(ctx, decision.message);
  inputFor(ctx, request);
  const where = visibleRow(ctx, request);
  if (where === undefined) throw missing(request);
  if (decision.kind === 'deny') throw await refusal(ctx, request, where, decision.message);
  const table = ctx.registry.table(request.resource);
  const guarded = and(where, decision.kind === 'filter' ? decision.formula.sql : undefined, ...actionGuards(ctx.registry, request.resource, request.action));
  const [row] = await ctx.db.delete(table).where(guarded).returning();
  if (row !== undefined) return { record: decodeRow(request.resource, row), meta: {} };
  throw (await explainNoRow(ctx, request, where, decision)) ?? missing(request);
}

/** Reads one record by id through a read action: its policy is the scope, its base filter applies. */
async function runRead(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const input = inputFor(ctx, request);
  const id = request.id;
  if (id === undefined || !uuidPattern.test(id)) throw missing(request);
  const policy = readScope(ctx, request.resource, request.action);
  const filter = request.action.filter === undefined
    ? undefined
    : exprToSql(request.action.filter, { registry: ctx.registry, resource: request.resource, actor: ctx.actor, args: input.args });
  const key = eq(ctx.registry.column(request.resource, request.resource.primaryKey.name), id);
  const [row] = await ctx.db.select().from(ctx.registry.table(request.resource)).where(and(key, policy, filter)).limit(1);
  if (row === undefined) throw missing(request);
  return { record: decodeRow(request.resource, row), meta: {} };
}

const runners: { readonly [K in ActionType]: (ctx: ActionContext, request: ActionRequest) => Promise<ActionOutcome> } = {
  create: runCreate,
  read: runRead,
  update: runUpdate,
  destroy: runDestroy,
};

/**
 * Runs a resource action with its policies: the one generic path every route (JSON:API, coordination, internal
 * callers) goes through, so no path reads or writes around them. Database constraint errors come back as client
 * errors naming the member.
 */
export async function runActionDetailed(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  try {
    return await runners[request.action.type](ctx, request);
  } catch (error) {
    throw translateDatabaseError(error, request.resource);
  }
}

export async function runAction(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  return (await runActionDetailed(ctx, request)).record;
}
