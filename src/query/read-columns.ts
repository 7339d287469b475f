import { getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { AttributeModel } from '../../resources/model/index.ts';
import { readAsSql, type ExprContext } from './expr-to-sql.ts';

/** What compiling reads needs besides the resource: who reads, with which server settings. */
export type ReadContext = Pick<ExprContext, 'registry' | 'actor' | 'context'>;

/** What reads see of an attribute: its column, or its `readAs` CASE (expr-to-sql.ts `readAsSql`). */
export function readExpression(ctx: ExprContext, attribute: AttributeModel, column: PgColumn | SQLWrapper = ctx.registry.column(ctx.resource, attribute.name)): SQLWrapper {
  return readAsSql(ctx, attribute, column);
}

/** The SELECT / RETURNING list of a resource as reads see it, by attribute name. */
export function readSelection(ctx: ExprContext): Record<string, PgColumn | SQL.Aliased> {
  const columns = getTableColumns(ctx.registry.table(ctx.resource));
  const selection: Record<string, PgColumn | SQL.Aliased> = { ...columns };
  for (const attribute of ctx.resource.attributes) {
    if (attribute.spec.readAs !== undefined) selection[attribute.name] = sql`${readExpression(ctx, attribute)}`.as(attribute.name);
  }
  return selection;
}

/** Does any attribute of the resource read differently from its column? */
export const hasReadOverrides = (ctx: Pick<ExprContext, 'resource'>): boolean => ctx.resource.attributes.some((a) => a.spec.readAs !== undefined);
