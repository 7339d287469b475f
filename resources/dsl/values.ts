/** JSON-compatible literal, the only kind of constant a resource definition may hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A value computed when an action runs. Changes, validations, read filters and policy expressions
 * all use the same closed set, so each consumer compiles it with one exhaustive table.
 */
export type ValueSpec =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'now' }
  | { readonly kind: 'actor'; readonly path: readonly string[] }
  | { readonly kind: 'arg'; readonly name: string }
  | { readonly kind: 'ref'; readonly path: readonly string[] }
  /** The value an attribute has once the write is applied (Ash's `atomic_ref/1`). */
  | { readonly kind: 'atomic_ref'; readonly attribute: string }
  /** A server setting (AGENT_HEARTBEAT_INTERVAL, MAX_CONCURRENT_WORK, ...), by its context key. */
  | { readonly kind: 'context'; readonly key: string }
  /** now() minus a number of milliseconds: `ago(context('agent_offline_after_ms'))`. */
  | { readonly kind: 'ago'; readonly milliseconds: ValueSpec };

export type ValueKind = ValueSpec['kind'];

/** Marks objects made by the helpers below, so a JSON map literal is never mistaken for one. */
const valueBrand: unique symbol = Symbol.for('self-sustaining.value');

function branded<T extends ValueSpec>(spec: T): T {
  return Object.freeze(Object.defineProperty({ ...spec }, valueBrand, { value: true, enumerable: false }));
}

/**
 * The current time, evaluated by PostgreSQL inside the statement.
 * @example change: setAttribute('last_heartbeat', now())
 */
export const now = (): { readonly kind: 'now' } => branded({ kind: 'now' });

/**
 * An attribute of the actor making the request (`^actor(:id)` in Ash).
 * @example setAttribute('claimed_by', actor('id'))
 */
export const actor = (...path: [string, ...string[]]): { readonly kind: 'actor'; readonly path: readonly string[] } => branded({ kind: 'actor', path });

/**
 * An action argument (`^arg(:name)` in Ash).
 * @example setAttribute('status', arg('new_status'))
 */
export const arg = (name: string): { readonly kind: 'arg'; readonly name: string } => branded({ kind: 'arg', name });

/**
 * A field of the record, optionally through to-one relationships: `ref('agent', 'agent_id')`.
 * @example eq(ref('status'), literal('pending'))
 */
export const ref = (...path: [string, ...string[]]): { readonly kind: 'ref'; readonly path: readonly string[] } => branded({ kind: 'ref', path });

/**
 * The value the attribute has once this write is applied (Ash's `atomic_ref/1`): what the write sets for it (accepted
 * input or a change, after the changes that apply to the actor), else the row's current value. A validation can so
 * name the row's future owner: an admin's claim naming an agent counts that agent's items, not the admin's.
 * @example countBelow({ filter: eq(ref('claimed_by'), atomicRef('claimed_by')), lockOn: atomicRef('claimed_by'), ... })
 */
export const atomicRef = (attribute: string): { readonly kind: 'atomic_ref'; readonly attribute: string } => branded({ kind: 'atomic_ref', attribute });

/**
 * A server setting made available to resources (Ash's `^context(...)`): `max_concurrent_work`, ...
 * @example countBelow({ ..., max: context('max_concurrent_work') })
 */
export const context = (key: string): { readonly kind: 'context'; readonly key: string } => branded({ kind: 'context', key });

/**
 * The time `milliseconds` ago, computed by PostgreSQL: `now() - interval`.
 * @example lt(ref('last_heartbeat'), ago(context('agent_offline_after_ms')))
 */
export const ago = (milliseconds: ValueSpec | number): { readonly kind: 'ago'; readonly milliseconds: ValueSpec } =>
  branded({ kind: 'ago', milliseconds: toValueSpec(milliseconds) });

/** A constant. Plain JSON values are accepted wherever a ValueSpec is, so this is rarely needed. */
export const literal = (value: JsonValue): { readonly kind: 'literal'; readonly value: JsonValue } => branded({ kind: 'literal', value });

/** Plain JSON becomes a literal; values built by the helpers above (branded) are kept as they are. */
export function toValueSpec(value: ValueSpec | JsonValue): ValueSpec {
  if (isBranded(value)) return value;
  return { kind: 'literal', value: value as JsonValue };
}

function isBranded(value: unknown): value is ValueSpec {
  return typeof value === 'object' && value !== null && valueBrand in value;
}
