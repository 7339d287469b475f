import { createHash } from 'node:crypto';
import { and, sql, type SQL } from 'drizzle-orm';
import { readSelection } from '../../query/read-columns.ts';
import { viewedAttributeNames, type ResourceModel } from '../../../resources/model/index.ts';
import { decodeRow } from '../../actions/decode.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import type { Executor } from '../../db/pool.ts';
import type { OperationContext } from '../context.ts';
import type { CursorValue } from '../query/keyset.ts';
import type { SortKey } from '../query/sort.ts';

export interface SelectRequest {
  readonly resource: ResourceModel;
  readonly where: readonly (SQL | undefined)[];
  /** A total order (ends with the primary key). */
  readonly sort: readonly SortKey[];
  readonly limit?: number | SQL.Aliased | ReturnType<typeof sql.placeholder>;
  readonly offset?: number | ReturnType<typeof sql.placeholder>;
  /** Read in the opposite order (a `page[before]` page), then restore the order. */
  readonly reverse?: boolean;
}

export interface SelectedRow {
  readonly record: ResourceRecord;
  /** The sort keys' values as the database returned them: the stuff cursors are made of. */
  readonly sortValues: readonly CursorValue[];
}

const sortColumn = (i: number): string => `__sort_${i}`;

function build(db: Executor, ctx: OperationContext, request: SelectRequest) {
  const table = ctx.registry.table(request.resource);
  const viewed = viewedAttributeNames(request.resource);
  const columns = Object.fromEntries(
    Object.entries(readSelection({ registry: ctx.registry, resource: request.resource, actor: ctx.actor, args: {}, context: ctx.context })).filter(([name]) => viewed.has(name)),
  );
  const extra = Object.fromEntries(request.sort.map((key, i) => [sortColumn(i), sql<CursorValue>`${key.expression}`]));
  const order = request.sort.map((key) => (key.descending !== (request.reverse === true) ? sql`${key.expression} DESC` : sql`${key.expression} ASC`));
  let query = db
    .select({ ...columns, ...extra })
    .from(table)
    .where(and(...request.where))
    .orderBy(...order)
    .$dynamic();
  if (request.limit !== undefined) query = query.limit(request.limit as number);
  if (request.offset !== undefined && request.offset !== 0) query = query.offset(request.offset as number);
  return query;
}

function toRows(request: SelectRequest, rows: readonly Record<string, unknown>[]): SelectedRow[] {
  const selected = rows.map((row) => ({
    record: decodeRow(request.resource, row),
    sortValues: request.sort.map((_, i) => (row[sortColumn(i)] as CursorValue | undefined) ?? null),
  }));
  return request.reverse === true ? selected.reverse() : selected;
}

/** One SELECT of a resource's rows with their sort-key values, in order. */
export async function selectRows(ctx: OperationContext, request: SelectRequest): Promise<SelectedRow[]> {
  return toRows(request, await build(ctx.db, ctx, request));
}

type Prepared = ReturnType<ReturnType<typeof build>['prepare']>;
const statements = new WeakMap<Executor, Map<string, Prepared>>();

/**
 * A SELECT whose shape is fixed and only its values vary (a get by id, an include by keys, a list's first page):
 * built once per shape, then run as a named prepared statement, so neither the query builder nor PostgreSQL's
 * parser and planner run again. `shape` must determine the SQL text completely; values go in `sql.placeholder`s.
 */
export async function selectPrepared(
  ctx: OperationContext,
  shape: string,
  request: () => SelectRequest,
  values: Readonly<Record<string, unknown>>,
): Promise<SelectedRow[]> {
  let cache = statements.get(ctx.db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(ctx.db, cache);
  }
  const built = request();
  let prepared = cache.get(shape);
  if (prepared === undefined) {
    prepared = build(ctx.db, ctx, built).prepare(`ss_${createHash('sha256').update(shape).digest('hex').slice(0, 24)}`);
    cache.set(shape, prepared);
  }
  return toRows(built, await prepared.execute(values));
}

export async function countRows(ctx: OperationContext, resource: ResourceModel, where: readonly (SQL | undefined)[]): Promise<number> {
  const [row] = await ctx.db.select({ total: sql<number>`count(*)::int` }).from(ctx.registry.table(resource)).where(and(...where));
  return row?.total ?? 0;
}
