import { eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ValidationKind, ValidationSpec } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import type { Registry } from '../runtime/registry.ts';

type Guard<K extends ValidationKind> = (column: PgColumn, validation: Extract<ValidationSpec, { kind: K }>) => SQL;

/** Each validation kind as a predicate on the current row: it goes into the UPDATE/DELETE's WHERE clause. */
const guards: { readonly [K in ValidationKind]: Guard<K> } = {
  attribute_equals: (column, v) => (v.value === null ? isNull(column) : eq(column, v.value)),
  attribute_does_not_equal: (column, v) => (v.value === null ? isNotNull(column) : sql`${column} IS DISTINCT FROM ${v.value}`),
  attribute_in: (column, v) => {
    const values = v.values.filter((value) => value !== null);
    const matches = values.length === 0 ? sql`false` : inArray(column, values);
    return v.values.includes(null) ? (or(matches, isNull(column)) ?? matches) : matches;
  },
};

function guardSql(registry: Registry, resource: ResourceModel, validation: ValidationSpec): SQL {
  const column = registry.column(resource, validation.attribute);
  switch (validation.kind) {
    case 'attribute_equals':
      return guards.attribute_equals(column, validation);
    case 'attribute_does_not_equal':
      return guards.attribute_does_not_equal(column, validation);
    case 'attribute_in':
      return guards.attribute_in(column, validation);
  }
}

/** The action's validations, one predicate each, in declaration order. */
export function actionGuards(registry: Registry, resource: ResourceModel, action: ActionModel): SQL[] {
  return action.validations.map((v) => guardSql(registry, resource, v));
}
