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
  | { readonly kind: 'ref'; readonly path: readonly string[] };

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
