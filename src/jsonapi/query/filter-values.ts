import type { AttributeKind, JsonValue, ScalarSpec } from '../../../resources/define.ts';
import { byKind, valueProblem, type KindTable } from '../../../resources/model/index.ts';
import type { AttributeSpec } from '../../../resources/define.ts';

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

type Parse = (text: string) => JsonValue | undefined;

/** Query strings carry text: each kind says how its values are written there. */
const parsers: KindTable<Parse> = {
  uuid: () => (t) => t,
  string: () => (t) => t,
  text: () => (t) => t,
  integer: () => (t) => (/^-?\d+$/.test(t) ? Number(t) : undefined),
  float: () => (t) => (t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : undefined),
  boolean: () => (t) => (t === 'true' ? true : t === 'false' ? false : undefined),
  atom: () => (t) => t,
  datetime: () => (t) => t,
  map: () => () => undefined,
  array: () => () => undefined,
};

/** The value a filter compares an attribute with, or why it cannot be one. Arrays compare their items. */
export function filterValue(spec: AttributeSpec, text: string): { ok: true; value: JsonValue } | { ok: false; problem: string } {
  const target: AttributeSpec | ScalarSpec = spec.kind === 'array' ? spec.items : spec;
  const parsed = byKind(parsers, target)(text);
  if (parsed === undefined) return { ok: false, problem: `${JSON.stringify(text)} is not a valid ${target.kind}` };
  const problem = valueProblem({ ...target, allowNil: false }, parsed);
  return problem === undefined ? { ok: true, value: parsed } : { ok: false, problem: `${JSON.stringify(text)} ${problem}` };
}

export const supports = (spec: AttributeSpec, operator: FilterOperator): boolean => byKind(operatorsFor, spec).includes(operator);

/** Kinds that can be sorted (scalars). */
export const sortable = (kind: AttributeKind): boolean => kind !== 'map' && kind !== 'array';
