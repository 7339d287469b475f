import type { AttributeSpec, JsonValue } from '../../resources/define.ts';
import { valueProblem, type ActionModel, type ResourceModel } from '../../resources/model/index.ts';
import { ApiError, ApiErrors, type ErrorField } from '../jsonapi/errors.ts';

export interface CheckedInput {
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly args: Readonly<Record<string, JsonValue>>;
}

/**
 * What an action accepts, nothing more: members outside `accept`/arguments are refused (400), required ones must be
 * present and non-null, and every value must fit its attribute (422). All problems are reported together.
 */
export function checkInput(
  resource: ResourceModel,
  action: ActionModel,
  input: Readonly<Record<string, JsonValue>>,
  setByChanges: ReadonlySet<string> = new Set(),
): CheckedInput {
  const errors: ApiError[] = [];
  const attributes: Record<string, JsonValue> = {};
  const args: Record<string, JsonValue> = {};
  const specs = new Map<string, { readonly spec: AttributeSpec; readonly kind: ErrorField['kind'] }>([
    ...action.accept.flatMap((name) => {
      const attribute = resource.attributes.find((a) => a.name === name);
      return attribute === undefined ? [] : [[name, { spec: attribute.spec, kind: 'attribute' as const }] as const];
    }),
    ...action.arguments.map((a) => [a.name, { spec: a.spec, kind: 'argument' as const }] as const),
  ]);
  for (const [name, value] of Object.entries(input)) {
    const target = specs.get(name);
    if (target === undefined) {
      const allowed = [...specs.keys()];
      errors.push(
        new ApiError('INPUT_NOT_ACCEPTED', {
          detail: `${action.name} does not accept ${name}${allowed.length === 0 ? '; it takes no input' : `; it accepts ${allowed.join(', ')}`}`,
          field: { kind: resource.attributes.some((a) => a.name === name) ? 'attribute' : 'argument', name },
        }),
      );
      continue;
    }
    const field: ErrorField = { kind: target.kind, name };
    const problem = value === null && action.required.includes(name) && !setByChanges.has(name) ? 'is required' : valueProblem(target.spec, value);
    if (problem !== undefined) {
      errors.push(new ApiError('VALIDATION_FAILED', { detail: `${name} ${problem}`, field }));
      continue;
    }
    (target.kind === 'attribute' ? attributes : args)[name] = value;
  }
  // What a change sets for this actor (claimed_by for an agent) need not come from the input.
  for (const name of action.required) {
    if (!(name in input) && !setByChanges.has(name)) {
      const kind = specs.get(name)?.kind ?? 'attribute';
      errors.push(new ApiError('VALIDATION_FAILED', { detail: `${name} is required`, field: { kind, name } }));
    }
  }
  const [first, ...rest] = errors;
  if (first !== undefined) throw rest.length === 0 ? first : new ApiErrors([first, ...rest]);
  return { attributes, args };
}
