import type { AnyAttribute } from './attributes.ts';
import type { Expr } from './expressions.ts';
import type { CheckSpec } from './policies.ts';
import { toValueSpec, type JsonValue, type ValueSpec } from './values.ts';

export const actionTypes = ['create', 'read', 'update', 'destroy'] as const;
export type ActionType = (typeof actionTypes)[number];

/** `change set_attribute(:attr, value)`: value is a constant, now(), actor(...) or arg(...). */
export interface SetAttributeChange<TAttr extends string = string> {
  readonly kind: 'set_attribute';
  readonly attribute: TAttr;
  readonly value: ValueSpec;
  /** Applies only when every check holds (simple checks: actor, action, context), Ash's `change ..., where: [...]`. */
  readonly when?: readonly CheckSpec[];
}

/**
 * A new random bearer token: its SHA-256 is stored in `attribute`, the token itself is returned once in the action
 * result's `meta.token` and never stored.
 */
export interface GenerateTokenChange<TAttr extends string = string> {
  readonly kind: 'generate_token';
  readonly attribute: TAttr;
  /** Makes tokens recognizable (`ssa_...`). */
  readonly prefix: string;
  readonly when?: readonly CheckSpec[];
}
export type ChangeSpec<TAttr extends string = string> = SetAttributeChange<TAttr> | GenerateTokenChange<TAttr>;
export type ChangeKind = ChangeSpec['kind'];

/**
 * A state guard on the record being changed. It compiles into the UPDATE/DELETE's WHERE clause, so the check
 * and the write are one statement; when it does not hold, the action fails with `message` (HTTP 409).
 */
export type ValidationSpec<TAttr extends string = string> =
  | { readonly kind: 'attribute_equals'; readonly attribute: TAttr; readonly value: JsonValue; readonly message: string }
  | { readonly kind: 'attribute_does_not_equal'; readonly attribute: TAttr; readonly value: JsonValue; readonly message: string }
  | { readonly kind: 'attribute_in'; readonly attribute: TAttr; readonly values: readonly JsonValue[]; readonly message: string }
  /**
   * Fewer than `max` rows of this resource match `filter` (e.g. the items an agent holds). Writes that could race are
   * serialized per `lockOn` value with a transaction-scoped advisory lock, so the count is exact under concurrency.
   */
  | { readonly kind: 'count_below'; readonly filter: Expr; readonly max: ValueSpec; readonly lockOn: ValueSpec; readonly message: string };
export type ValidationKind = ValidationSpec['kind'];

/** Arguments are action inputs that are not attributes; they reuse the attribute builders for their type. */
export type ArgumentMap = Readonly<Record<string, AnyAttribute>>;

/** A domain event an action publishes after it commits (Ash notifiers): a telemetry event and a NOTIFY. */
export interface NotifySpec {
  /** Hierarchical event name, recorded as a telemetry event: ['coordination', 'work', 'claimed']. */
  readonly event: readonly [string, ...string[]];
}

/** Which row an update without an id takes: the first by `sort` among those matching `filter`, skipping locked rows. */
export interface TargetSpec<TAttr extends string = string> {
  readonly filter?: Expr;
  readonly sort: readonly { readonly attribute: TAttr; readonly direction: 'asc' | 'desc' }[];
}

interface ActionCommon<TAttr extends string> {
  readonly description?: string;
  readonly notify?: NotifySpec;
  /** The action used when none is named for its type (Ash's `primary? true`). */
  readonly primary?: boolean;
  readonly arguments?: ArgumentMap;
  readonly changes?: readonly ChangeSpec<TAttr>[];
}

export interface CreateActionSpec<TAttr extends string = string> extends ActionCommon<TAttr> {
  readonly type: 'create';
  /** Attributes the caller may set. */
  readonly accept?: readonly TAttr[];
  /** Accepted attributes that this action requires even though the attribute allows nil. */
  readonly require?: readonly TAttr[];
}

export interface UpdateActionSpec<TAttr extends string = string> extends ActionCommon<TAttr> {
  readonly type: 'update';
  readonly accept?: readonly TAttr[];
  readonly require?: readonly TAttr[];
  readonly validate?: readonly ValidationSpec<TAttr>[];
  /**
   * Makes this an update that picks its own row (claim-next): the first matching row by `sort`, taken with
   * FOR UPDATE SKIP LOCKED in the same statement, so concurrent callers never get the same row. No id is given.
   */
  readonly target?: TargetSpec<TAttr>;
}

export interface DestroyActionSpec<TAttr extends string = string> extends ActionCommon<TAttr> {
  readonly type: 'destroy';
  readonly validate?: readonly ValidationSpec<TAttr>[];
}

export interface ReadActionSpec<TAttr extends string = string> extends ActionCommon<TAttr> {
  readonly type: 'read';
  /** A base filter every read through this action gets, e.g. `eq(ref('status'), 'pending')`. */
  readonly filter?: Expr;
}

export type ActionSpec<TAttr extends string = string> =
  | CreateActionSpec<TAttr>
  | UpdateActionSpec<TAttr>
  | DestroyActionSpec<TAttr>
  | ReadActionSpec<TAttr>;

type Options<TSpec> = Omit<TSpec, 'type'>;

/**
 * A create action (Ash's `create :name do ... end`).
 * @example register: create({ accept: ['agent_id'], changes: [setAttribute('status', 'active')] })
 */
export const create = <const TAttr extends string = never>(
  options: Options<CreateActionSpec<TAttr>> = {},
): CreateActionSpec<TAttr> => ({ type: 'create', ...options });

/**
 * A read action, optionally with a base filter.
 * @example active: read({ filter: eq(ref('status'), 'active') })
 */
export const read = <const TAttr extends string = never>(
  options: Options<ReadActionSpec<TAttr>> = {},
): ReadActionSpec<TAttr> => ({ type: 'read', ...options });

/**
 * An update action: one conditional UPDATE with its validations in the WHERE clause.
 * @example start_work: update({
 *   validate: [attributeEquals('status', 'claimed', 'Work item must be claimed to start')],
 *   changes: [setAttribute('status', 'in_progress')],
 * })
 */
export const update = <const TAttr extends string = never>(
  options: Options<UpdateActionSpec<TAttr>> = {},
): UpdateActionSpec<TAttr> => ({ type: 'update', ...options });

/**
 * A destroy action.
 * @example destroy: destroy()
 */
export const destroy = <const TAttr extends string = never>(
  options: Options<DestroyActionSpec<TAttr>> = {},
): DestroyActionSpec<TAttr> => ({ type: 'destroy', ...options });

/**
 * `change set_attribute(:attribute, value)`.
 * @example setAttribute('claimed_at', now())
 */
export const setAttribute = <const TAttr extends string>(
  attribute: TAttr,
  value: ValueSpec | JsonValue,
  options: { readonly when?: CheckSpec | readonly CheckSpec[] } = {},
): SetAttributeChange<TAttr> => ({
  kind: 'set_attribute',
  attribute,
  value: toValueSpec(value),
  ...(options.when === undefined ? {} : { when: Array.isArray(options.when) ? options.when : [options.when as CheckSpec] }),
});

/**
 * `change generate_token(:token_hash)`: a fresh bearer token, hashed into the attribute, shown once in `meta.token`.
 * @example changes: [generateToken('token_hash', 'ssa_')]
 */
export const generateToken = <const TAttr extends string>(attribute: TAttr, prefix: string): GenerateTokenChange<TAttr> => ({
  kind: 'generate_token',
  attribute,
  prefix,
});

/**
 * `validate attribute_equals(:attribute, value)`, checked atomically in the write's WHERE clause.
 * @example attributeEquals('status', 'pending', 'Work item must be pending to be claimed')
 */
export const attributeEquals = <const TAttr extends string>(
  attribute: TAttr,
  value: JsonValue,
  message: string,
): ValidationSpec<TAttr> => ({ kind: 'attribute_equals', attribute, value, message });

/** @example attributeDoesNotEqual('status', 'completed', 'Completed work cannot be changed') */
export const attributeDoesNotEqual = <const TAttr extends string>(
  attribute: TAttr,
  value: JsonValue,
  message: string,
): ValidationSpec<TAttr> => ({ kind: 'attribute_does_not_equal', attribute, value, message });

/**
 * `validate count_below(...)`: fewer than `max` rows match `filter`; serialized per `lockOn`.
 * @example countBelow({ filter: eq(ref('claimed_by'), actor('id')), max: context('max_concurrent_work'), lockOn: actor('id'), message: '...' })
 */
export const countBelow = (options: {
  readonly filter: Expr;
  readonly max: ValueSpec | number;
  readonly lockOn: ValueSpec;
  readonly message: string;
}): ValidationSpec<never> => ({ kind: 'count_below', filter: options.filter, max: toValueSpec(options.max), lockOn: options.lockOn, message: options.message });

/** @example attributeIn('status', ['claimed', 'in_progress'], 'Work item must be claimed or in progress to fail') */
export const attributeIn = <const TAttr extends string>(
  attribute: TAttr,
  values: readonly JsonValue[],
  message: string,
): ValidationSpec<TAttr> => ({ kind: 'attribute_in', attribute, values, message });
