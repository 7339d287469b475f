import { and, arrayContains, Column, gt, gte, inArray, is, isNotNull, isNull, lt, lte, not, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { JsonValue } from '../../../resources/define.ts';
import { readExpression, type ReadContext } from '../../query/read-columns.ts';
import type { FilterNode } from './filter.ts';
import type { FilterOperator } from './filter-values.ts';
import { aliasedSource, joinCondition, type Source } from './source.ts';

type Compile = (column: SQLWrapper, values: readonly JsonValue[], arrayColumn: boolean) => SQL;

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

/** Binds a value with the column's own encoder when it is a plain column (drizzle does this in eq()). */
const bind = (column: SQLWrapper, value: JsonValue): unknown => (is(column, Column) ? sql.param(value, column) : value);

/**
 * Compiles a parsed filter against `source`; relationship filters become EXISTS subqueries on aliased tables.
 * Attributes that read differently from their column (`readAs`) are compared as they read.
 */
export function filterToSql(node: FilterNode, source: Source, reader: ReadContext, depth = 0): SQL {
  switch (node.kind) {
    case 'and':
      return and(...node.nodes.map((n) => filterToSql(n, source, reader, depth))) ?? sql`true`;
    case 'or':
      return or(...node.nodes.map((n) => filterToSql(n, source, reader, depth))) ?? sql`false`;
    case 'not':
      return not(filterToSql(node.node, source, reader, depth));
    case 'compare': {
      const column = source.column(node.attribute.name);
      const value = node.attribute.spec.readAs === undefined ? column : readExpression({ ...reader, resource: source.resource, args: {}, ...(source.alias === undefined ? {} : { alias: source.alias }) }, node.attribute, column);
      return operators[node.operator](value, node.values, node.attribute.spec.kind === 'array');
    }
    case 'related': {
      const related = aliasedSource(reader.registry, node.destination, `f${depth + 1}`);
      const nested = filterToSql(node.node, related, reader, depth + 1);
      return sql`EXISTS (SELECT 1 FROM ${related.from} WHERE ${joinCondition(node.relationship, source, related)} AND ${nested})`;
    }
  }
}
