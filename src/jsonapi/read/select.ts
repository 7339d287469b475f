import { and, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { ResourceModel } from '../../../resources/model/index.ts';
import { decodeRow } from '../../actions/decode.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import type { OperationContext } from '../context.ts';
import type { CursorValue } from '../query/keyset.ts';
import type { SortKey } from '../query/sort.ts';

export interface SelectRequest {
  readonly resource: ResourceModel;
  readonly where: readonly (SQL | undefined)[];
  /** A total order (ends with the primary key). */
  readonly sort: readonly SortKey[];
  readonly limit?: number;
  readonly offset?: number;
  /** Read in the opposite order (a `page[before]` page), then restore the order. */
  readonly reverse?: boolean;
}

export interface SelectedRow {
  readonly record: ResourceRecord;
  /** The sort keys' values as the database returned them: the stuff cursors are made of. */
  readonly sortValues: readonly CursorValue[];
}

const sortColumn = (i: number): string => `__sort_${i}`;

/** One SELECT of a resource's rows with their sort-key values, in order. */
export async function selectRows(ctx: OperationContext, request: SelectRequest): Promise<SelectedRow[]> {
  const table = ctx.registry.table(request.resource);
  const extra = Object.fromEntries(request.sort.map((key, i) => [sortColumn(i), sql<CursorValue>`${key.expression}`]));
  const order = request.sort.map((key) => (key.descending !== (request.reverse === true) ? sql`${key.expression} DESC` : sql`${key.expression} ASC`));
  let query = ctx.db
    .select({ ...getTableColumns(table), ...extra })
    .from(table)
    .where(and(...request.where))
    .orderBy(...order)
    .$dynamic();
  if (request.limit !== undefined) query = query.limit(request.limit);
  if (request.offset !== undefined && request.offset > 0) query = query.offset(request.offset);
  const rows = await query;
  const selected = rows.map((row) => ({
    record: decodeRow(request.resource, row),
    sortValues: request.sort.map((_, i) => (row as Record<string, CursorValue>)[sortColumn(i)] ?? null),
  }));
  return request.reverse === true ? selected.reverse() : selected;
}

export async function countRows(ctx: OperationContext, resource: ResourceModel, where: readonly (SQL | undefined)[]): Promise<number> {
  const [row] = await ctx.db.select({ total: sql<number>`count(*)::int` }).from(ctx.registry.table(resource)).where(and(...where));
  return row?.total ?? 0;
}
