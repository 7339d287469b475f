import { mapStep, switchStep, type ElementContext, type StepOptions } from './composite-steps.ts';
import type { Awaitable, CompensateReturn, Fail, Halt, Retry, UndoReturn } from './directives.ts';
import { createReactor } from './reactor.ts';
import type { ArgSources, ArgValue, CallerInputs, InputShape, InputSpec, ResolvedArgs } from './sources.ts';
import type { InputDeclaration, Reactor, ReactorOptions, StepContext, StepSpec, UndoContext } from './types.ts';

/**
 * A step as the builder takes it. `run`'s arguments are typed from `args`, and its result type flows to `undo`,
 * `compensate` and every later step that reads `result(name)`. Declare `run` before `undo` and `compensate`; a `run`
 * that only throws has result type `never`, so annotate its return type if compensation continues with a value.
 */
export interface StepDefinition<TName extends string, TArgs, TInputs extends InputShape, TResults, TReturn> extends StepOptions {
  readonly name: TName;
  readonly args?: TArgs;
  readonly waitFor?: readonly (keyof TResults & string)[];
  readonly run: (args: ResolvedArgs<TArgs, TInputs, TResults>, ctx: StepContext) => TReturn;
  readonly undo?: (value: NoInfer<StepOutput<TReturn>>, args: ResolvedArgs<TArgs, TInputs, TResults>, ctx: UndoContext) => Awaitable<UndoReturn>;
  readonly compensate?: (error: Error, args: ResolvedArgs<TArgs, TInputs, TResults>, ctx: StepContext) => Awaitable<CompensateReturn<NoInfer<StepOutput<TReturn>>>>;
}

/** A step's result type: what `run` returns or resolves to, without the directives (`retry()`, `halt()`, `fail()`). */
export type StepOutput<TReturn> = Exclude<Awaited<TReturn>, Retry | Halt | Fail>;

type ElementOf<T> = T extends Iterable<infer TElement> ? TElement : never;

export interface MapDefinition<TName extends string, TOver, TArgs, TInputs extends InputShape, TResults, TOut> extends StepOptions {
  readonly name: TName;
  /** The collection: an input or another step's result. */
  readonly over: TOver;
  readonly args?: TArgs;
  /** Elements processed at once (default 5). */
  readonly concurrency?: number;
  readonly waitFor?: readonly (keyof TResults & string)[];
  readonly each: (element: ElementOf<ArgValue<TOver, TInputs, TResults>>, ctx: ElementContext<ResolvedArgs<TArgs, TInputs, TResults>>) => Awaitable<TOut>;
  readonly undoEach?: (value: TOut, element: ElementOf<ArgValue<TOver, TInputs, TResults>>, index: number) => Awaitable<unknown>;
}

export interface Branch<TValue, TArgs, TOut> {
  readonly when: (value: TValue) => boolean;
  readonly run: (value: TValue, args: TArgs, ctx: StepContext) => Awaitable<TOut>;
}

export interface SwitchDefinition<TName extends string, TOn, TArgs, TInputs extends InputShape, TResults, TOut> extends StepOptions {
  readonly name: TName;
  readonly on: TOn;
  readonly args?: TArgs;
  readonly waitFor?: readonly (keyof TResults & string)[];
  /** Tried in order; the first whose `when` holds runs. */
  readonly branches: readonly Branch<ArgValue<TOn, TInputs, TResults>, ResolvedArgs<TArgs, TInputs, TResults>, TOut>[];
  /** Runs when no branch matches; without it that is a NO_SWITCH_BRANCH error. */
  readonly default?: (value: ArgValue<TOn, TInputs, TResults>, args: ResolvedArgs<TArgs, TInputs, TResults>, ctx: StepContext) => Awaitable<TOut>;
}

export interface ComposeDefinition<TName extends string, TArgs, TInputs extends InputShape, TResults, TOut> extends StepOptions {
  readonly name: TName;
  /** Its inputs come from `args`, which must give every input it requires. */
  readonly reactor: Reactor<ResolvedArgs<TArgs, TInputs, TResults>, TOut>;
  readonly args: TArgs;
  readonly waitFor?: readonly (keyof TResults & string)[];
}

type With<TResults, TName extends string, TOut> = TResults & { readonly [K in TName]: TOut };

const pickOptions = (definition: StepOptions): StepOptions => {
  const { waitFor, maxRetries, timeoutMs, async, backoff } = definition;
  return {
    ...(waitFor === undefined ? {} : { waitFor }),
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(async === undefined ? {} : { async }),
    ...(backoff === undefined ? {} : { backoff }),
  };
};

/**
 * Accumulates a reactor's inputs and steps with their types, like tRPC's procedure builder. Each call returns a new
 * builder; `returns` checks the whole definition and gives the runnable reactor.
 */
export class ReactorBuilder<TInputs extends InputShape, TResults> {
  readonly #name: string;
  readonly #options: ReactorOptions;
  readonly #inputs: readonly InputDeclaration[];
  readonly #steps: readonly StepSpec[];

  constructor(name: string, options: ReactorOptions, inputs: readonly InputDeclaration[], steps: readonly StepSpec[]) {
    this.#name = name;
    this.#options = options;
    this.#inputs = inputs;
    this.#steps = steps;
  }

  /** Declares an input: `required<T>()` or `optional<T>(default?)`. */
  input<const TName extends string, TValue, TOptional extends boolean>(
    name: TName,
    spec: InputSpec<TValue, TOptional>,
  ): ReactorBuilder<TInputs & { readonly [K in TName]: InputSpec<TValue, TOptional> }, TResults> {
    return new ReactorBuilder(this.#name, this.#options, [...this.#inputs, { ...spec, name }], this.#steps);
  }

  /**
   * Adds a step.
   * @example .step({ name: 'charge', args: { order: result('validate'), amount: input('amount') }, run: ({ order, amount }) => pay(order, amount) })
   */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a step without `args` resolves no arguments
  step<const TName extends string, const TArgs extends ArgSources<TInputs, TResults> = {}, TReturn = unknown>(
    definition: StepDefinition<TName, TArgs, TInputs, TResults, TReturn>,
  ): ReactorBuilder<TInputs, With<TResults, TName, StepOutput<TReturn>>> {
    const { name, args, run, undo, compensate } = definition;
    const spec: StepSpec = {
      ...pickOptions(definition),
      name,
      args: args ?? {},
      run,
      ...(undo === undefined ? {} : { undo }),
      ...(compensate === undefined ? {} : { compensate }),
    };
    return this.#with(spec);
  }

  /** Adds another reactor as one step; its result is the nested reactor's result. */
  compose<const TName extends string, const TArgs extends ArgSources<TInputs, TResults>, TOut>(
    definition: ComposeDefinition<TName, TArgs, TInputs, TResults, TOut>,
  ): ReactorBuilder<TInputs, With<TResults, TName, TOut>> {
    const { name, reactor: nested, args } = definition;
    const run = (resolved: ResolvedArgs<TArgs, TInputs, TResults>, ctx: StepContext): Promise<TOut> => ctx.run(nested, resolved);
    return this.#with({ ...pickOptions(definition), name, args, run });
  }

  /** Maps a collection with bounded concurrency; the result lists `each`'s results in element order. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a map without `args` passes no extra arguments
  map<const TName extends string, const TOver extends ArgSources<TInputs, TResults>[string], TOut, const TArgs extends ArgSources<TInputs, TResults> = {}>(
    definition: MapDefinition<TName, TOver, TArgs, TInputs, TResults, TOut>,
  ): ReactorBuilder<TInputs, With<TResults, TName, TOut[]>> {
    const { name, over, args, concurrency, each, undoEach } = definition;
    const spec = { over, args: args ?? {}, concurrency: concurrency ?? 5, each, ...(undoEach === undefined ? {} : { undoEach }) };
    return this.#with(mapStep(name, spec, pickOptions(definition)));
  }

  /** Runs the first matching branch on a value; the result is that branch's. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a switch without `args` passes no extra arguments
  switch<const TName extends string, const TOn extends ArgSources<TInputs, TResults>[string], TOut, const TArgs extends ArgSources<TInputs, TResults> = {}>(
    definition: SwitchDefinition<TName, TOn, TArgs, TInputs, TResults, TOut>,
  ): ReactorBuilder<TInputs, With<TResults, TName, TOut>> {
    const { name, on, args, branches } = definition;
    const otherwise = definition.default;
    const spec = { on, args: args ?? {}, branches, ...(otherwise === undefined ? {} : { otherwise }) };
    return this.#with(switchStep(name, spec, pickOptions(definition)));
  }

  /** Names the step whose result the run returns, checks the definition and gives the reactor. */
  returns<TName extends keyof TResults & string>(name: TName): Reactor<CallerInputs<TInputs>, TResults[TName]> {
    return createReactor({ name: this.#name, inputs: this.#inputs, steps: this.#steps, returns: name, options: this.#options });
  }

  #with<TNext>(spec: StepSpec): ReactorBuilder<TInputs, TNext> {
    return new ReactorBuilder(this.#name, this.#options, this.#inputs, [...this.#steps, spec]);
  }
}

/**
 * Starts a reactor definition.
 * @example
 * const checkout = reactor('checkout')
 *   .input('order', required<Order>())
 *   .step({ name: 'reserve', args: { order: input('order') }, run: ({ order }) => reserve(order), undo: (r) => release(r) })
 *   .step({ name: 'charge', args: { order: input('order'), reservation: result('reserve') }, run: ({ order }) => charge(order) })
 *   .returns('charge');
 * const outcome = await checkout.run({ order });
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no inputs and no results yet
export function reactor(name: string, options: ReactorOptions = {}): ReactorBuilder<{}, {}> {
  return new ReactorBuilder(name, options, [], []);
}
