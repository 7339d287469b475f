import type { ActionType } from './actions.ts';
import type { Expr } from './expressions.ts';
import type { JsonValue } from './values.ts';

/** Checks (Ash's built-in checks). Simple ones are decided from the actor and action; filter ones become SQL. */
export type CheckSpec =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'actor_present' }
  | { readonly kind: 'actor_absent' }
  | { readonly kind: 'actor_attribute_equals'; readonly attribute: string; readonly value: JsonValue }
  | { readonly kind: 'context_equals'; readonly key: string; readonly value: JsonValue }
  | { readonly kind: 'action_type'; readonly types: readonly ActionType[] }
  | { readonly kind: 'action'; readonly names: readonly string[] }
  | { readonly kind: 'relates_to_actor_via'; readonly path: readonly string[]; readonly field: string }
  | { readonly kind: 'expr'; readonly expr: Expr };
export type CheckKind = CheckSpec['kind'];

export const clauseKinds = ['authorize_if', 'authorize_unless', 'forbid_if', 'forbid_unless'] as const;
export type ClauseKind = (typeof clauseKinds)[number];
export interface ClauseSpec {
  readonly clause: ClauseKind;
  readonly check: CheckSpec;
}

type Condition = CheckSpec | readonly CheckSpec[];
interface PolicyOptions {
  readonly description?: string;
  readonly message?: string;
}

const asList = (condition: Condition): readonly CheckSpec[] =>
  Array.isArray(condition) ? condition : [condition as CheckSpec];

/** Simple checks are decided from the actor, the action and the context alone, before any row is read. */
export const simpleCheckKinds = ['always', 'never', 'actor_present', 'actor_absent', 'actor_attribute_equals', 'context_equals', 'action_type', 'action'] as const;

/**
 * A field policy: who may see some attributes (Ash's `field_policy`). Fields it forbids are left out of responses and
 * cannot be filtered or sorted on. Only simple checks: visibility is decided per request, not per row.
 */
export interface FieldPolicySpec {
  readonly fields: readonly string[];
  readonly condition: readonly CheckSpec[];
  readonly clauses: readonly ClauseSpec[];
}

/**
 * `field_policy [:f1, :f2] do ... end`.
 * @example fieldPolicy(['metadata'], always(), [authorizeIf(actorAttributeEquals('type', 'admin'))])
 */
export const fieldPolicy = (fields: readonly string[], condition: Condition, clauses: readonly ClauseSpec[]): FieldPolicySpec => ({
  fields,
  condition: asList(condition),
  clauses,
});

export interface PolicySpec {
  /** A bypass that passes authorizes the request and skips every later policy. */
  readonly kind: 'policy' | 'bypass';
  /** All must hold for the policy to apply (an empty list means always). */
  readonly condition: readonly CheckSpec[];
  /** Top-down, first decisive clause wins; if none decides, the policy forbids. */
  readonly clauses: readonly ClauseSpec[];
  readonly description?: string;
  /** The 403 error's detail when this policy is the one that forbids. */
  readonly message?: string;
}


/**
 * `policy condition do ... end`.
 * @example policy(actionType('read'), [authorizeIf(actorPresent())])
 */
export const policy = (condition: Condition, clauses: readonly ClauseSpec[], options: PolicyOptions = {}): PolicySpec => ({
  kind: 'policy',
  condition: asList(condition),
  clauses,
  ...options,
});

/**
 * `bypass condition do ... end`.
 * @example bypass(actorAttributeEquals('role', 'admin'), [authorizeIf(always())])
 */
export const bypass = (condition: Condition, clauses: readonly ClauseSpec[], options: PolicyOptions = {}): PolicySpec => ({
  kind: 'bypass',
  condition: asList(condition),
  clauses,
  ...options,
});

/** @example authorizeIf(actorPresent()) */
export const authorizeIf = (check: CheckSpec): ClauseSpec => ({ clause: 'authorize_if', check });
export const authorizeUnless = (check: CheckSpec): ClauseSpec => ({ clause: 'authorize_unless', check });
/** @example forbidIf(actorAttributeEquals('role', 'collector')) */
export const forbidIf = (check: CheckSpec): ClauseSpec => ({ clause: 'forbid_if', check });
export const forbidUnless = (check: CheckSpec): ClauseSpec => ({ clause: 'forbid_unless', check });

/** Checks. */
export const always = (): CheckSpec => ({ kind: 'always' });
export const never = (): CheckSpec => ({ kind: 'never' });
export const actorPresent = (): CheckSpec => ({ kind: 'actor_present' });
export const actorAbsent = (): CheckSpec => ({ kind: 'actor_absent' });
/** False when there is no actor or the actor lacks the attribute (Ash semantics). @example actorAttributeEquals('role', 'admin') */
export const actorAttributeEquals = (attribute: string, value: JsonValue): CheckSpec => ({
  kind: 'actor_attribute_equals',
  attribute,
  value,
});
/**
 * A value of the server's policy context (settings such as AGENT_REGISTRATION), Ash's `context_equals`.
 * @example contextEquals('agent_registration', 'open')
 */
export const contextEquals = (key: string, value: JsonValue): CheckSpec => ({ kind: 'context_equals', key, value });
/** @example actionType(['update', 'destroy']) */
export const actionType = (types: ActionType | readonly ActionType[]): CheckSpec => ({
  kind: 'action_type',
  types: typeof types === 'string' ? [types] : types,
});
/** @example action(['heartbeat', 'update_status']) */
export const action = (names: string | readonly string[]): CheckSpec => ({
  kind: 'action',
  names: typeof names === 'string' ? [names] : names,
});
/**
 * The record relates to the actor through a relationship path, to-one or to-many hops (Ash): some record at the path's
 * end has `field` (default `id`) equal to the actor's. Compiled to `EXISTS (...)` in the read's SQL.
 * @example relatesToActorVia('agent')
 * @example relatesToActorVia(['books', 'reviewer']) // a publisher whose books the actor reviews
 */
export const relatesToActorVia = (path: string | readonly string[], options: { readonly field?: string } = {}): CheckSpec => ({
  kind: 'relates_to_actor_via',
  path: typeof path === 'string' ? [path] : path,
  field: options.field ?? 'id',
});
/** A filter check: `expr(claimed_by == ^actor(:id))`. @example expr(eq(ref('claimed_by'), actor('id'))) */
export const expr = (expression: Expr): CheckSpec => ({ kind: 'expr', expr: expression });
