import type { AttributeKind } from '../define.ts';
import type { KindTable } from '../model/per-kind.ts';

/**
 * What the JSON:API engine accepts in `filter[...]` and `sort`, per attribute kind. The engine (src/jsonapi/query)
 * parses with these tables and codegen documents them, so the OpenAPI document lists exactly what is accepted.
 */

/** Filter operators (`filter[attr][op]=v`). Aliases follow ash_json_api. */
export const filterOperators = ['eq', 'not_eq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'is_nil', 'contains', 'starts_with'] as const;
export type FilterOperator = (typeof filterOperators)[number];

export const operatorAliases: Readonly<Record<string, FilterOperator>> = {
  equals: 'eq',
  not_equals: 'not_eq',
  greater_than: 'gt',
  greater_than_or_equal: 'gte',
  less_than: 'lt',
  less_than_or_equal: 'lte',
};

/** Operators that take a comma-separated list of values. */
export const listOperators: readonly FilterOperator[] = ['in', 'not_in', 'contains'];

const ordered = ['eq', 'not_eq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'is_nil'] as const;
const equality = ['eq', 'not_eq', 'in', 'not_in', 'is_nil'] as const;

/** Which operators each attribute kind supports (also what the OpenAPI document lists). */
export const operatorsFor: KindTable<readonly FilterOperator[]> = {
  uuid: () => equality,
  string: () => [...equality, 'contains', 'starts_with'],
  text: () => [...equality, 'contains', 'starts_with'],
  integer: () => ordered,
  float: () => ordered,
  boolean: () => ['eq', 'not_eq', 'is_nil'],
  atom: () => equality,
  datetime: () => ordered,
  map: () => ['is_nil'],
  array: () => ['contains', 'is_nil'],
};

/** Kinds that can be sorted (scalars). */
export const sortable = (kind: AttributeKind): boolean => kind !== 'map' && kind !== 'array';

/** The `page[...]` members the engine reads. */
export const pageParameters = ['limit', 'offset', 'after', 'before', 'count'] as const;
