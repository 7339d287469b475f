import { and, arrayContains, gt, gte, inArray, isNotNull, isNull, lt, lte, not, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { JsonValue } from '../../../resources/define.ts';
import type { Registry } from '../../runtime/registry.ts';
import type { FilterNode } from './filter.ts';
import type { FilterOperator } from './filter-values.ts';
import { aliasedSource, joinCondition, type Source } from './source.ts';

type Compile = (column: PgColumn, values: readonly JsonValue[], arrayColumn: boolean) => SQL;

const first = (values: readonly JsonValue[]): JsonValue => values[0] ?? null;

/**
 * Each operator as SQL. Comparisons with `not_eq`/`not_in` keep rows whose value is NULL (IS DISTINCT FROM), which is
 * what "status is not claimed" means to a reader; `contains` is a case-sensitive substring on strings and "has all
 * these items" on arrays.
 */
const operators: { readonly [K in FilterOperator]: Compile } = {
  eq: (c, v) => sql`${c} = ${bind(c, first(v))}`,
  not_eq: (c, v) => sql`${c} IS DISTINCT FROM ${bind(c, first(v))}`,
  in: (c, v) => inArray(c, [...v]),
  not_in: (c, v) => or(isNull(c), not(inArray(c, [...v]))) ?? sql`true`,
  gt: (c, v) => gt(c, first(v)),
  gte: (c, v) => gte(c, first(v)),
  lt: (c, v) => lt(c, first(v)),
  lte: (c, v) => lte(c, first(v)),
  is_nil: (c, v) => (first(v) === true ? isNull(c) : isNotNull(c)),
  contains: (c, v, arrayColumn) => (arrayColumn ? arrayContains(c, [...v]) : sql`strpos(${c}, ${first(v)}) > 0`),
  starts_with: (c, v) => sql`starts_with(${c}, ${first(v)})`,
};

/** Binds a value with the column's own encoder (drizzle does this in eq(); here for the raw templates). */
const bind = (column: PgColumn, value: JsonValue): unknown => sql.param(value, column);

/** Compiles a parsed filter against `source`; relationship filters become EXISTS subqueries on aliased tables. */
export function filterToSql(node: FilterNode, source: Source, registry: Registry, depth = 0): SQL {
  switch (node.kind) {
    case 'and':
      return and(...node.nodes.map((n) => filterToSql(n, source, registry, depth))) ?? sql`true`;
    case 'or':
      return or(...node.nodes.map((n) => filterToSql(n, source, registry, depth))) ?? sql`false`;
    case 'not':
      return not(filterToSql(node.node, source, registry, depth));
    case 'compare':
      return operators[node.operator](source.column(node.attribute.name), node.values, node.attribute.spec.kind === 'array');
    case 'related': {
      const related = aliasedSource(registry, node.destination, `f${depth + 1}`);
      const nested = filterToSql(node.node, related, registry, depth + 1);
      return sql`EXISTS (SELECT 1 FROM ${related.from} WHERE ${joinCondition(node.relationship, source, related)} AND ${nested})`;
    }
  }
}
