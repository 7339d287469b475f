import pLimit from 'p-limit';
import type { Awaitable } from './directives.ts';
import { OrchestratorError, toError } from './errors.ts';
import type { ArgSource } from './sources.ts';
import type { StepArgs, StepContext, StepSpec } from './types.ts';

/** Step options shared by every kind of step. */
export type StepOptions = Pick<StepSpec, 'waitFor' | 'maxRetries' | 'timeoutMs' | 'async' | 'backoff'>;

/** Argument keys the composite steps add; `@` cannot start a key the builder's types produce by accident. */
const overKey = '@over';
const onKey = '@on';

const withoutKey = (args: StepArgs, key: string): StepArgs => {
  const rest: Record<string, unknown> = { ...args };
  delete rest[key];
  return rest;
};

export interface ElementContext<TArgs> {
  readonly index: number;
  readonly args: TArgs;
  /** The map step's context: its signal, trace, `onUndo` and nested `run`. */
  readonly step: StepContext;
}

export interface MapSpec {
  readonly over: ArgSource;
  readonly args: Readonly<Record<string, ArgSource>>;
  readonly concurrency: number;
  each(element: unknown, ctx: ElementContext<StepArgs>): unknown;
  undoEach?(value: unknown, element: unknown, index: number): Awaitable<unknown>;
}

const isIterable = (candidate: unknown): candidate is Iterable<unknown> =>
  typeof candidate === 'object' && candidate !== null && Symbol.iterator in candidate;

/** Marks elements that were never started because another element had failed. */
const skipped = Symbol('skipped');

/**
 * Runs `each` for every element of a collection, at most `concurrency` at once; the result is the list of results in
 * element order. When an element fails, no further element starts, the running ones finish, the completed ones are
 * undone (`undoEach`, registered with `onUndo`) and the step fails with the first error.
 */
export function mapStep(name: string, spec: MapSpec, options: StepOptions): StepSpec {
  return {
    ...options,
    name,
    args: { ...spec.args, [overKey]: spec.over },
    run: async (resolved, ctx) => {
      const source = resolved[overKey];
      if (!isIterable(source)) {
        throw new OrchestratorError('STEP_FAILED', `map step ${name} needs a collection to map over, got ${typeof source}`, { step: name });
      }
      const elements = [...source];
      const args = withoutKey(resolved, overKey);
      const limit = pLimit(spec.concurrency);
      let failed = false;
      const settled = await Promise.allSettled(
        elements.map((element, index) =>
          limit(async () => {
            if (failed || ctx.signal.aborted) throw skipped;
            try {
              const value = await spec.each(element, { index, args, step: ctx });
              const undoEach = spec.undoEach;
              if (undoEach !== undefined) ctx.onUndo(() => undoEach.call(spec, value, element, index));
              return value;
            } catch (error) {
              failed = true;
              throw error;
            }
          }),
        ),
      );
      const errors = settled.flatMap((s) => (s.status === 'rejected' && s.reason !== skipped ? [toError(s.reason)] : []));
      const [first] = errors;
      if (first !== undefined) throw errors.length === 1 ? first : new AggregateError(errors, `${errors.length} elements of map step ${name} failed; first: ${first.message}`);
      if (settled.some((s) => s.status === 'rejected')) throw toError(ctx.signal.reason ?? `map step ${name} was stopped`);
      return settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    },
  };
}

export interface SwitchBranch {
  when(value: unknown): boolean;
  run(value: unknown, args: StepArgs, ctx: StepContext): unknown;
}

export interface SwitchSpec {
  readonly on: ArgSource;
  readonly args: Readonly<Record<string, ArgSource>>;
  readonly branches: readonly SwitchBranch[];
  otherwise?(value: unknown, args: StepArgs, ctx: StepContext): unknown;
}

/** Runs the first branch whose `when` holds for the value (else the default); Reactor's switch. */
export function switchStep(name: string, spec: SwitchSpec, options: StepOptions): StepSpec {
  return {
    ...options,
    name,
    args: { ...spec.args, [onKey]: spec.on },
    run: (resolved, ctx) => {
      const value = resolved[onKey];
      const args = withoutKey(resolved, onKey);
      const branch = spec.branches.find((b) => b.when(value));
      if (branch !== undefined) return branch.run(value, args, ctx);
      if (spec.otherwise !== undefined) return spec.otherwise.call(spec, value, args, ctx);
      throw new OrchestratorError('NO_SWITCH_BRANCH', `No branch matched in switch ${name} and no default branch is set`, { step: name });
    },
  };
}
