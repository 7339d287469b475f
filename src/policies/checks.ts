import { isDeepStrictEqual } from 'node:util';
import type { CheckSpec, JsonValue } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import { actorValue, type Actor } from '../actions/actor.ts';
import { existsThrough, exprToSql } from '../query/expr-to-sql.ts';
import type { Registry } from '../runtime/registry.ts';
import { constant, predicate, type Formula } from './formula.ts';

/** What a policy is decided on: who, doing what, to which resource, in which server context. */
export interface PolicySubject {
  readonly registry: Registry;
  readonly resource: ResourceModel;
  readonly action: ActionModel;
  readonly actor: Actor | undefined;
  /** Server settings policies may read (`contextEquals`): `agent_registration`, ... */
  readonly context: Readonly<Record<string, JsonValue>>;
}

type CheckOf<K extends CheckSpec['kind']> = Extract<CheckSpec, { kind: K }>;

/** Each check as a formula: simple checks are constants, filter checks become SQL over the row. */
const checks: { readonly [K in CheckSpec['kind']]: (check: CheckOf<K>, subject: PolicySubject) => Formula } = {
  always: () => constant(true),
  never: () => constant(false),
  actor_present: (_c, s) => constant(s.actor !== undefined),
  actor_absent: (_c, s) => constant(s.actor === undefined),
  // Ash: false when there is no actor or it lacks the attribute.
  actor_attribute_equals: (c, s) => {
    const value = actorValue(s.actor, [c.attribute]);
    return constant(value !== undefined && isDeepStrictEqual(value, c.value));
  },
  context_equals: (c, s) => constant(isDeepStrictEqual(s.context[c.key], c.value)),
  action_type: (c, s) => constant(c.types.includes(s.action.type)),
  action: (c, s) => constant(c.names.includes(s.action.name)),
  // A filter check that refers to an absent actor is false, never "every row". To-one and to-many hops alike (Ash):
  // the row qualifies when some record at the end of the path is the actor.
  relates_to_actor_via: (c, s) => {
    const mine = actorValue(s.actor, [c.field]);
    if (mine === undefined || mine === null) return constant(false);
    return predicate(existsThrough({ registry: s.registry, resource: s.resource }, c.path, c.field, mine));
  },
  expr: (c, s) => predicate(exprToSql(c.expr, { registry: s.registry, resource: s.resource, actor: s.actor, args: {} })),
};

export function checkFormula(check: CheckSpec, subject: PolicySubject): Formula {
  switch (check.kind) {
    case 'always':
      return checks.always(check, subject);
    case 'never':
      return checks.never(check, subject);
    case 'actor_present':
      return checks.actor_present(check, subject);
    case 'actor_absent':
      return checks.actor_absent(check, subject);
    case 'actor_attribute_equals':
      return checks.actor_attribute_equals(check, subject);
    case 'context_equals':
      return checks.context_equals(check, subject);
    case 'action_type':
      return checks.action_type(check, subject);
    case 'action':
      return checks.action(check, subject);
    case 'relates_to_actor_via':
      return checks.relates_to_actor_via(check, subject);
    case 'expr':
      return checks.expr(check, subject);
  }
}

/** Simple checks only (conditions, change `when`s, field policies): decided without reading a row. */
export function holds(checksToHold: readonly CheckSpec[], subject: PolicySubject): boolean {
  return checksToHold.every((check) => {
    const formula = checkFormula(check, subject);
    if (formula.kind !== 'const') throw new Error(`${check.kind} is not a simple check; conditions take simple checks only`);
    return formula.value;
  });
}
