import { eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ValidationKind, ValidationSpec } from '../../resources/define.ts';
import type { ActionModel } from '../../resources/model/index.ts';
import { exprToSql, writeValue, type ExprContext } from '../query/expr-to-sql.ts';

type Guard<K extends ValidationKind> = (ctx: ExprContext, validation: Extract<ValidationSpec, { kind: K }>) => SQL;

const column = (ctx: ExprContext, attribute: string) => ctx.registry.column(ctx.resource, attribute);

/** Each validation kind as a predicate on the current row: it goes into the UPDATE/DELETE's WHERE clause. */
const guards: { readonly [K in ValidationKind]: Guard<K> } = {
  attribute_equals: (ctx, v) => (v.value === null ? isNull(column(ctx, v.attribute)) : eq(column(ctx, v.attribute), v.value)),
  attribute_does_not_equal: (ctx, v) =>
    v.value === null ? isNotNull(column(ctx, v.attribute)) : sql`${column(ctx, v.attribute)} IS DISTINCT FROM ${v.value}`,
  attribute_in: (ctx, v) => {
    const values = v.values.filter((value) => value !== null);
    const matches = values.length === 0 ? sql`false` : inArray(column(ctx, v.attribute), values);
    return v.values.includes(null) ? (or(matches, isNull(column(ctx, v.attribute))) ?? matches) : matches;
  },
  // The inner FROM names the same table unaliased, so the filter's column references bind to the counted rows.
  count_below: (ctx, v) => {
    const max = writeValue(v.max, ctx);
    return sql`(SELECT count(*) FROM ${ctx.registry.table(ctx.resource)} WHERE ${exprToSql(v.filter, ctx)}) < ${typeof max === 'number' ? max : 0}`;
  },
};

function guardSql(ctx: ExprContext, validation: ValidationSpec): SQL {
  switch (validation.kind) {
    case 'attribute_equals':
      return guards.attribute_equals(ctx, validation);
    case 'attribute_does_not_equal':
      return guards.attribute_does_not_equal(ctx, validation);
    case 'attribute_in':
      return guards.attribute_in(ctx, validation);
    case 'count_below':
      return guards.count_below(ctx, validation);
  }
}

/** The action's validations, one predicate each, in declaration order. */
export function actionGuards(ctx: ExprContext, action: ActionModel): SQL[] {
  return action.validations.map((v) => guardSql(ctx, v));
}

/**
 * The advisory-lock keys of count_below validations: writes that could race on the same count (one agent's claims)
 * take the same transaction-scoped lock first, so the count in the next statement's snapshot is exact.
 */
export function serializationKeys(ctx: ExprContext, action: ActionModel): string[] {
  return action.validations.flatMap((v) => {
    if (v.kind !== 'count_below') return [];
    const value = writeValue(v.lockOn, ctx);
    return typeof value === 'string' || typeof value === 'number' ? [`${ctx.resource.name}:${action.name}:${value}`] : [];
  });
}
