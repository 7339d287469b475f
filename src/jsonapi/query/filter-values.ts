import type { JsonValue, ScalarSpec } from '../../../resources/define.ts';
import { byKind, valueProblem, type KindTable } from '../../../resources/model/index.ts';
import type { AttributeSpec } from '../../../resources/define.ts';
import { filterOperators, operatorAliases, operatorsFor, sortable, type FilterOperator } from '../../../resources/contracts/json-api-query.ts';

/** The operator tables live with the API contracts (resources/contracts), so codegen documents exactly these. */
export { filterOperators, operatorAliases, operatorsFor, sortable, type FilterOperator };

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
