import type { Expr } from './expressions.ts';
import type { JsonValue } from './values.ts';

/** The closed set of attribute kinds. Every per-kind concern is one exhaustive table keyed by this. */
export const attributeKinds = [
  'uuid',
  'string',
  'text',
  'integer',
  'float',
  'boolean',
  'atom',
  'datetime',
  'map',
  'array',
] as const;
export type AttributeKind = (typeof attributeKinds)[number];

/** Kinds an array attribute may hold (no nested arrays, no maps: those are `map`). */
export type ScalarKind = Exclude<AttributeKind, 'array' | 'map'>;

/** A default the database computes, so concurrent writers in any number of processes agree. */
export type DefaultSpec =
  | { readonly kind: 'value'; readonly value: JsonValue }
  | { readonly kind: 'now' }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'time_id'; readonly prefix: string };

interface CommonSpec {
  readonly allowNil: boolean;
  readonly default?: DefaultSpec;
  /** Public attributes appear in the API; private ones live only in the table. */
  readonly public: boolean;
  /** Writable attributes may be named in an action's `accept`; generated ones are set by changes or the database. */
  readonly writable: boolean;
  readonly primaryKey: boolean;
  /** Set to now() by every update action (the `updated_at` of `timestamps()`). */
  readonly touchOnUpdate: boolean;
  /** Read as `value` while `when` holds (a calculation, e.g. agents read as offline without heartbeats). */
  readonly readAs?: ReadAsSpec;
  readonly description?: string;
}

export type UuidSpec = CommonSpec & { readonly kind: 'uuid' };
export interface LengthConstraints {
  readonly minLength?: number;
  readonly maxLength?: number;
}
export interface RangeConstraints {
  readonly min?: number;
  readonly max?: number;
}
export type StringSpec = CommonSpec & LengthConstraints & { readonly kind: 'string' };
export type TextSpec = CommonSpec & LengthConstraints & { readonly kind: 'text' };
export type IntegerSpec = CommonSpec & RangeConstraints & { readonly kind: 'integer' };
export type FloatSpec = CommonSpec & RangeConstraints & { readonly kind: 'float' };
export type BooleanSpec = CommonSpec & { readonly kind: 'boolean' };
export type AtomSpec = CommonSpec & { readonly kind: 'atom'; readonly oneOf: readonly string[] };
export type DatetimeSpec = CommonSpec & { readonly kind: 'datetime' };
export type MapSpec = CommonSpec & {
  readonly kind: 'map';
  /** A TypeScript type exported by the resource file that describes the object; codegen turns it into JSON Schema. */
  readonly shape?: string;
};

export interface MapOptions {
  /** The name of a type the resource file exports (or re-exports), e.g. 'WorkPayload'. */
  readonly shape?: string;
}
export type ArraySpec = CommonSpec & { readonly kind: 'array'; readonly items: ScalarSpec };
export type ScalarSpec = UuidSpec | StringSpec | TextSpec | IntegerSpec | FloatSpec | BooleanSpec | AtomSpec | DatetimeSpec;
export type AttributeSpec = ScalarSpec | MapSpec | ArraySpec;

/** A read-time override: every read shows `value` where `when` holds, and filters and sorts see the same. */
export interface ReadAsSpec {
  readonly when: Expr;
  readonly value: JsonValue;
}

/** Static flags tracked by the builder, like drizzle's NotNull<this> / HasDefault<this>. */
export interface AttributeFlags {
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly public: boolean;
  readonly writable: boolean;
}
type Initial = { notNull: false; hasDefault: false; public: true; writable: true };
type WithFlag<TFlags extends AttributeFlags, TKey extends keyof AttributeFlags, TValue extends boolean> = Omit<
  TFlags,
  TKey
> & { [K in TKey]: TValue };

const defaultFnBrand: unique symbol = Symbol.for('self-sustaining.default-fn');

/** A default computed by the database. Made by `defaults.*`. */
export interface DefaultFunction {
  readonly [defaultFnBrand]: true;
  readonly spec: Exclude<DefaultSpec, { kind: 'value' }>;
}

const defaultFunction = (spec: Exclude<DefaultSpec, { kind: 'value' }>): DefaultFunction => ({
  [defaultFnBrand]: true,
  spec,
});

/** Database-side defaults. */
export const defaults = {
  /**
   * The insert time, `now()` in the database.
   * @example inserted_at: attr.datetime().notNull().default(defaults.now())
   */
  now: (): DefaultFunction => defaultFunction({ kind: 'now' }),
  /**
   * A random UUID, `gen_random_uuid()`.
   * @example id: attr.uuid().default(defaults.uuid())
   */
  uuid: (): DefaultFunction => defaultFunction({ kind: 'uuid' }),
  /**
   * `<prefix><19 digits>`: epoch microseconds x 1000 plus a shared sequence, computed by PostgreSQL, so ids
   * stay unique across concurrent inserts from any number of processes (the seed's `work_<ns>`).
   * @example work_item_id: attr.string().notNull().default(defaults.timeId('work_'))
   */
  timeId: (prefix: string): DefaultFunction => defaultFunction({ kind: 'time_id', prefix }),
} as const;

function isDefaultFunction(value: unknown): value is DefaultFunction {
  return typeof value === 'object' && value !== null && defaultFnBrand in value;
}

/**
 * An attribute under construction. Each modifier returns a new, re-typed builder, so
 * `attr.string().notNull()` changes both the runtime flag and the static type.
 */
export class Attribute<TSpec extends AttributeSpec, TValue, TFlags extends AttributeFlags = Initial> {
  readonly spec: TSpec;
  /** Type-only carrier of the TypeScript value type and flags; never set at run time. */
  declare readonly $type: { readonly value: TValue; readonly flags: TFlags };

  constructor(spec: TSpec) {
    this.spec = Object.freeze(spec);
  }

  /** `allow_nil?: false`: the column is NOT NULL and creates must supply it unless it has a default. */
  notNull(): Attribute<TSpec, TValue, WithFlag<TFlags, 'notNull', true>> {
    return new Attribute({ ...this.spec, allowNil: false });
  }

  /**
   * A literal default (stored as the column's DEFAULT) or a database function from `defaults`.
   * @example status: attr.atom(['active', 'idle']).notNull().default('active')
   */
  default(value: TValue | DefaultFunction): Attribute<TSpec, TValue, WithFlag<TFlags, 'hasDefault', true>> {
    const spec: DefaultSpec = isDefaultFunction(value) ? value.spec : { kind: 'value', value: toJson(value) };
    return new Attribute({ ...this.spec, default: spec });
  }

  /** Not exposed through any API; still stored. */
  private(): Attribute<TSpec, TValue, WithFlag<TFlags, 'public', false>> {
    return new Attribute({ ...this.spec, public: false });
  }

  /** Never accepted from input: set by the database or by an action's changes. */
  generated(): Attribute<TSpec, TValue, WithFlag<TFlags, 'writable', false>> {
    return new Attribute({ ...this.spec, writable: false });
  }

  describe(description: string): Attribute<TSpec, TValue, TFlags> {
    return new Attribute({ ...this.spec, description });
  }

  /**
   * Every read shows `value` while `when` holds (computed by PostgreSQL in the SELECT, the WHERE and the ORDER BY).
   * @example status: attr.atom(['active', 'offline']).notNull().readAs({ when: lt(ref('last_heartbeat'), ago(60000)), value: 'offline' })
   */
  readAs(override: ReadAsSpec): Attribute<TSpec, TValue, TFlags> {
    return new Attribute({ ...this.spec, readAs: override });
  }

  /** Marks the attribute as bumped to now() on every update. Used by `timestamps()`. */
  touchedOnUpdate(): Attribute<TSpec, TValue, TFlags> {
    return new Attribute({ ...this.spec, touchOnUpdate: true });
  }
}

function toJson(value: unknown): JsonValue {
  // Defaults are written into the DDL, so they must survive a JSON round trip unchanged.
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`default ${String(value)} is not representable as JSON`);
  const parsed: JsonValue = JSON.parse(text);
  return parsed;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance-free upper bound for "any attribute", as drizzle's AnyColumn
export type AnyAttribute = Attribute<AttributeSpec, any, AttributeFlags>;
export type AttributeMap = Readonly<Record<string, AnyAttribute>>;

const common: CommonSpec = {
  allowNil: true,
  public: true,
  writable: true,
  primaryKey: false,
  touchOnUpdate: false,
};


/** Attribute builders. Names follow Ash's types. */
export const attr = {
  /**
   * `uuid_primary_key :id`: a generated, NOT NULL uuid with `gen_random_uuid()`.
   * @example id: attr.uuidPrimaryKey()
   */
  uuidPrimaryKey: () =>
    new Attribute<UuidSpec, string>({ ...common, kind: 'uuid', primaryKey: true })
      .notNull()
      .default(defaults.uuid())
      .generated(),
  /** @example claimed_by: attr.uuid() */
  uuid: () => new Attribute<UuidSpec, string>({ ...common, kind: 'uuid' }),
  /** @example agent_id: attr.string({ maxLength: 200 }).notNull() */
  string: (options: LengthConstraints = {}) => new Attribute<StringSpec, string>({ ...common, ...options, kind: 'string' }),
  /** Long text; same storage as string, documented as free text. @example description: attr.text() */
  text: (options: LengthConstraints = {}) => new Attribute<TextSpec, string>({ ...common, ...options, kind: 'text' }),
  /** @example retries: attr.integer({ min: 0 }) */
  integer: (options: RangeConstraints = {}) => new Attribute<IntegerSpec, number>({ ...common, ...options, kind: 'integer' }),
  /** Double precision. @example score: attr.float({ min: 0, max: 1 }) */
  float: (options: RangeConstraints = {}) => new Attribute<FloatSpec, number>({ ...common, ...options, kind: 'float' }),
  /** @example enabled: attr.boolean().notNull().default(true) */
  boolean: () => new Attribute<BooleanSpec, boolean>({ ...common, kind: 'boolean' }),
  /**
   * Ash's `:atom` with `constraints: [one_of: ...]`: a closed set of strings (CHECK constraint in the table).
   * @example priority: attr.atom(['low', 'medium', 'high', 'critical']).notNull().default('medium')
   */
  atom: <const TValues extends readonly [string, ...string[]]>(oneOf: TValues) =>
    new Attribute<AtomSpec, TValues[number]>({ ...common, kind: 'atom', oneOf }),
  /**
   * `:utc_datetime_usec`: a UTC instant with microsecond precision, held as an ISO 8601 string because a JS Date
   * would drop the microseconds (and keyset cursors built from it would skip rows).
   * @example claimed_at: attr.datetime()
   */
  datetime: () => new Attribute<DatetimeSpec, string>({ ...common, kind: 'datetime' }),
  /**
   * `:map`: a JSON object (jsonb). Any object unless `shape` names a type the resource file exports: codegen then
   * turns that type into the JSON Schema that validates input and documents the attribute (ts-json-schema-generator).
   * @example metadata: attr.map().notNull().default({})
   * @example payload: attr.map<WorkPayload>({ shape: 'WorkPayload' }).default({})
   */
  map: <TShape extends Record<string, unknown> = Record<string, unknown>>(options: MapOptions = {}) =>
    new Attribute<MapSpec, TShape>({ ...common, kind: 'map', ...(options.shape === undefined ? {} : { shape: options.shape }) }),
  /**
   * `{:array, type}`: an array of a scalar kind.
   * @example capabilities: attr.array(attr.string()).default([])
   */
  array: <TItemSpec extends ScalarSpec, TItem>(items: Attribute<TItemSpec, TItem, AttributeFlags>) =>
    new Attribute<ArraySpec, TItem[]>({ ...common, kind: 'array', items: items.spec }),
} as const;

/**
 * `timestamps()`: inserted_at and updated_at, NOT NULL, set by the database and on every update.
 * @example attributes: { id: attr.uuidPrimaryKey(), ...timestamps() }
 */
export function timestamps() {
  const stamp = attr.datetime().notNull().default(defaults.now()).generated();
  return { inserted_at: stamp, updated_at: stamp.touchedOnUpdate() } as const;
}

/** The TypeScript type of one attribute's stored value, `null` included when it allows nil. */
export type InferAttributeValue<TAttribute> =
  TAttribute extends Attribute<AttributeSpec, infer TValue, infer TFlags>
    ? TFlags['notNull'] extends true
      ? TValue
      : TValue | null
    : never;
