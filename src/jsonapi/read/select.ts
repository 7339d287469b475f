import { createHash } from 'node:crypto';
import { and, Column, is, sql, type Query, type SQL } from 'drizzle-orm';
import type { PreparedQueryConfig } from 'drizzle-orm/pg-core';
import { readSelection } from '../../query/read-columns.ts';
import type { JsonValue } from '../../../resources/define.ts';
import { viewedAttributeNames, type ResourceModel } from '../../../resources/model/index.ts';
import { attributeDecoder } from '../../actions/decode.ts';
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
  const selection = { ...columns, ...extra };
  const order = request.sort.map((key) => (key.descending !== (request.reverse === true) ? sql`${key.expression} DESC` : sql`${key.expression} ASC`));
  let query = db
    .select(selection)
    .from(table)
    .where(and(...request.where))
    .orderBy(...order)
    .$dynamic();
  if (request.limit !== undefined) query = query.limit(request.limit as number);
  if (request.offset !== undefined && request.offset !== 0) query = query.offset(request.offset as number);
  return { query, read: rowReader(request.resource, Object.entries(columns), Object.values(extra)) };
}

type ReadRow = (row: readonly unknown[]) => SelectedRow;

/**
 * Reads the SELECT's rows (arrays, in selection order) straight into records and sort values in one pass, decided
 * once per selection: a column gets its drizzle column decoding and then its attribute's JSON form. This replaces
 * drizzle's generic row mapper (an entity check per value) followed by a second pass over a keyed row. Our read
 * expressions (readAs CASEs, sort keys) never call `mapWith`, so their values stay as node-postgres parsed them, as
 * they would through drizzle.
 */
function rowReader(resource: ResourceModel, columns: readonly (readonly [string, unknown])[], sortKeys: readonly unknown[]): ReadRow {
  const asParsed = (value: unknown): unknown => value;
  const driver = (field: unknown) => (is(field, Column) ? (value: unknown) => field.mapFromDriverValue(value) : asParsed);
  // The SELECT lists the attribute columns first, then the sort keys (build's selection).
  const attributes = columns.map(([name, field], index) => [index, name, driver(field), attributeDecoder(resource, name)] as const);
  const sorts = sortKeys.map((field, i) => [columns.length + i, driver(field)] as const);
  return (row) => {
    const record: Record<string, JsonValue> = {};
    for (const [index, name, driver, decode] of attributes) {
      const value = row[index];
      record[name] = value === null || value === undefined ? null : decode(driver(value));
    }
    const sortValues = sorts.map(([index, driver]) => {
      const value = row[index];
      return value === null || value === undefined ? null : (driver(value) as CursorValue);
    });
    return { record, sortValues };
  };
}

/** The query as a drizzle prepared query whose result is node-postgres' rows as they are (arrays). */
function arrayQuery(db: Executor, query: { toSQL(): Query }, name: string | undefined) {
  return db._.session.prepareQuery<PreparedQueryConfig & { execute: unknown[][] }>(query.toSQL(), undefined, name, true, (rows) => rows);
}

function toRows(request: SelectRequest, read: ReadRow, rows: readonly (readonly unknown[])[]): SelectedRow[] {
  const selected = rows.map(read);
  return request.reverse === true ? selected.reverse() : selected;
}

/** One SELECT of a resource's rows with their sort-key values, in order. */
export async function selectRows(ctx: OperationContext, request: SelectRequest): Promise<SelectedRow[]> {
  const { query, read } = build(ctx.db, ctx, request);
  return toRows(request, read, await arrayQuery(ctx.db, query, undefined).execute());
}

interface PreparedSelect {
  readonly statement: ReturnType<typeof arrayQuery>;
  readonly read: ReadRow;
}
const statements = new WeakMap<Executor, Map<string, PreparedSelect>>();

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
    const { query, read } = build(ctx.db, ctx, built);
    prepared = { statement: arrayQuery(ctx.db, query, `ss_${createHash('sha256').update(shape).digest('hex').slice(0, 24)}`), read };
    cache.set(shape, prepared);
  }
  return toRows(built, prepared.read, await prepared.statement.execute(values));
}

export async function countRows(ctx: OperationContext, resource: ResourceModel, where: readonly (SQL | undefined)[]): Promise<number> {
  const [row] = await ctx.db.select({ total: sql<number>`count(*)::int` }).from(ctx.registry.table(resource)).where(and(...where));
  return row?.total ?? 0;
}
