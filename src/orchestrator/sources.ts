/** Where a step argument comes from: a reactor input, another step's result, or a literal value (Reactor's sources). */
export interface InputSource<TName extends string = string> {
  readonly source: 'input';
  readonly name: TName;
}

export interface ResultSource<TName extends string = string> {
  readonly source: 'result';
  readonly step: TName;
}

export interface ValueSource<TValue = unknown> {
  readonly source: 'value';
  readonly value: TValue;
}

export type ArgSource = InputSource | ResultSource | ValueSource;

/**
 * The value of a reactor input.
 * @example args: { config: input('config') }
 */
export const input = <const TName extends string>(name: TName): InputSource<TName> => ({ source: 'input', name });

/**
 * The result of another step; the step runs after it.
 * @example args: { order: result('validate_order') }
 */
export const result = <const TName extends string>(step: TName): ResultSource<TName> => ({ source: 'result', step });

/**
 * A literal value.
 * @example args: { retries: value(3) }
 */
export const value = <TValue>(literal: TValue): ValueSource<TValue> => ({ source: 'value', value: literal });

/**
 * How a reactor input is declared: required or optional (with an optional default), and an optional runtime check.
 * `TValue` is what steps see; `TOptional` says whether callers may leave it out.
 */
export interface InputSpec<TValue, TOptional extends boolean> {
  readonly optional: TOptional;
  readonly hasDefault: boolean;
  readonly defaultValue: TValue | undefined;
  readonly check: ((candidate: unknown) => boolean) | undefined;
}

/**
 * A required input: a run without it (or with null) fails before any step with "<name> input is required". A type
 * guard both checks the value at run time and gives its type.
 * @example reactor('deploy').input('config', required<DeployConfig>())
 * @example reactor('deploy').input('replicas', required((v): v is number => Number.isInteger(v)))
 */
export function required<TValue>(check?: (candidate: unknown) => candidate is TValue): InputSpec<TValue, false> {
  return { optional: false, hasDefault: false, defaultValue: undefined, check };
}

/**
 * An optional input. With a default, steps always see a value; without one they see `undefined` when it is left out.
 * @example reactor('deploy').input('dryRun', optional(false))
 * @example reactor('deploy').input('note', optional<string>())
 */
export function optional<TValue>(): InputSpec<TValue | undefined, true>;
export function optional<TValue>(defaultValue: TValue, check?: (candidate: unknown) => candidate is TValue): InputSpec<TValue, true>;
export function optional(...given: [] | [unknown, (((candidate: unknown) => boolean) | undefined)?]): InputSpec<unknown, true> {
  return given.length === 0
    ? { optional: true, hasDefault: false, defaultValue: undefined, check: undefined }
    : { optional: true, hasDefault: true, defaultValue: given[0], check: given[1] };
}

/** Declared inputs, by name, as the builder accumulates them. */
export type InputShape = { readonly [name: string]: InputSpec<unknown, boolean> };

/** Flattens an intersection for readable hover types. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** What a caller passes to `run`: required inputs are required, optional ones may be left out. */
export type CallerInputs<TInputs extends InputShape> = Simplify<
  { readonly [K in keyof TInputs as TInputs[K] extends InputSpec<unknown, false> ? K : never]: InputValue<TInputs[K]> } & {
    readonly [K in keyof TInputs as TInputs[K] extends InputSpec<unknown, false> ? never : K]?: InputValue<TInputs[K]> | undefined;
  }
>;

/** What steps see of an input. */
export type InputValue<TSpec> = TSpec extends InputSpec<infer TValue, boolean> ? TValue : never;

/** The argument sources a step may use, given what the reactor has declared so far. */
export type ArgSources<TInputs extends InputShape, TResults> = {
  readonly [name: string]: InputSource<keyof TInputs & string> | ResultSource<keyof TResults & string> | ValueSource;
};

/** The value one argument source resolves to. */
export type ArgValue<TSource, TInputs extends InputShape, TResults> =
  TSource extends InputSource<infer TName>
    ? TName extends keyof TInputs
      ? InputValue<TInputs[TName]>
      : never
    : TSource extends ResultSource<infer TName>
      ? TName extends keyof TResults
        ? TResults[TName]
        : never
      : TSource extends ValueSource<infer TValue>
        ? TValue
        : never;

/** The `args` object a step's `run` receives. */
export type ResolvedArgs<TArgs, TInputs extends InputShape, TResults> = Simplify<{
  readonly [K in keyof TArgs]: ArgValue<TArgs[K], TInputs, TResults>;
}>;
