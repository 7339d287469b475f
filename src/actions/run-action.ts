import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { ActionType } from '../../resources/define.ts';
import { translateDatabaseError } from '../db/sql-errors.ts';
import { ApiError, notFound } from '../jsonapi/errors.ts';
import { exprToSql } from '../query/expr-to-sql.ts';
import type { ActionContext, ActionRequest, ResourceRecord } from './context.ts';
import { decodeRow } from './decode.ts';
import { actionGuards } from './guards.ts';
import { checkInput } from './input.ts';
import { writeValues } from './write-values.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The record's row, as far as this request may see it (scope), or undefined when the id is not a uuid at all. */
function rowPredicate(ctx: ActionContext, request: ActionRequest): SQL | undefined {
  const id = request.id;
  if (id === undefined || !uuidPattern.test(id)) return undefined;
  const key = eq(ctx.registry.column(request.resource, request.resource.primaryKey.name), id);
  return request.scope === undefined ? key : and(key, request.scope);
}

const missing = (request: ActionRequest): ApiError => notFound(request.resource.jsonApi?.type ?? request.resource.name, request.id ?? '');

/**
 * After a guarded write touched no row: was the row missing (404), or did a validation not hold (409 with its
 * message)? `undefined` means every guard holds now: the row changed under us between the two statements.
 */
async function explainNoRow(ctx: ActionContext, request: ActionRequest, where: SQL): Promise<ApiError | undefined> {
  const guards = actionGuards(ctx.registry, request.resource, request.action);
  const table = ctx.registry.table(request.resource);
  const holds = guards.length === 0 ? sql`ARRAY[]::boolean[]` : sql`ARRAY[${sql.join(guards.map((g) => sql`(${g})`), sql`, `)}]`;
  const [row] = await ctx.db.select({ holds: sql<boolean[]>`${holds}` }).from(table).where(where);
  if (row === undefined) return missing(request);
  const failed = request.action.validations.find((_, i) => row.holds[i] !== true);
  if (failed === undefined) return undefined;
  return new ApiError('STATE_CONFLICT', {
    detail: failed.message,
    field: { kind: 'attribute', name: failed.attribute },
    meta: { action: request.action.name, validation: failed.kind },
  });
}

async function runCreate(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  const input = checkInput(request.resource, request.action, request.input);
  const table = ctx.registry.table(request.resource);
  const [row] = await ctx.db.insert(table).values(writeValues(ctx, request, input)).returning();
  if (row === undefined) throw new Error(`insert into ${request.resource.table} returned no row`);
  return decodeRow(request.resource, row);
}

/** One conditional UPDATE ... WHERE id = $1 AND <validations> RETURNING *: the check and the write are atomic. */
async function runUpdate(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  const input = checkInput(request.resource, request.action, request.input);
  const where = rowPredicate(ctx, request);
  if (where === undefined) throw missing(request);
  const table = ctx.registry.table(request.resource);
  const values = writeValues(ctx, request, input);
  const guarded = and(where, ...actionGuards(ctx.registry, request.resource, request.action));
  // A concurrent writer can flip the state back between the UPDATE and the explanation; one more try settles it.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const [row] = await ctx.db.update(table).set(values).where(guarded).returning();
    if (row !== undefined) return decodeRow(request.resource, row);
    const reason = await explainNoRow(ctx, request, where);
    if (reason !== undefined) throw reason;
  }
  throw new ApiError('STATE_CONFLICT', { detail: `${request.resource.name} changed concurrently; retry`, retryAfter: 1 });
}

/** DELETE ... WHERE id = $1 AND <validations> RETURNING *. */
async function runDestroy(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  checkInput(request.resource, request.action, request.input);
  const where = rowPredicate(ctx, request);
  if (where === undefined) throw missing(request);
  const table = ctx.registry.table(request.resource);
  const [row] = await ctx.db.delete(table).where(and(where, ...actionGuards(ctx.registry, request.resource, request.action))).returning();
  if (row !== undefined) return decodeRow(request.resource, row);
  throw (await explainNoRow(ctx, request, where)) ?? missing(request);
}

/** Reads one record by id through a read action (its base filter applies). */
async function runRead(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  const input = checkInput(request.resource, request.action, request.input);
  const where = rowPredicate(ctx, request);
  if (where === undefined) throw missing(request);
  const filter = request.action.filter === undefined
    ? undefined
    : exprToSql(request.action.filter, { registry: ctx.registry, resource: request.resource, actor: ctx.actor, args: input.args });
  const [row] = await ctx.db.select().from(ctx.registry.table(request.resource)).where(and(where, filter)).limit(1);
  if (row === undefined) throw missing(request);
  return decodeRow(request.resource, row);
}

const runners: { readonly [K in ActionType]: (ctx: ActionContext, request: ActionRequest) => Promise<ResourceRecord> } = {
  create: runCreate,
  read: runRead,
  update: runUpdate,
  destroy: runDestroy,
};

/**
 * Runs a resource action: the one generic path every route (JSON:API, coordination, internal callers) goes through.
 * Database constraint errors come back as client errors naming the member.
 */
export async function runAction(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  try {
    return await runners[request.action.type](ctx, request);
  } catch (error) {
    throw translateDatabaseError(error, request.resource);
  }
}
