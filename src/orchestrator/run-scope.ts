import type { LimitFunction } from 'p-limit';
import type { Awaitable } from './directives.ts';
import type { HookSet } from './hooks.ts';
import type { Plan, PlanNode } from './plan.ts';
import type { Clock, IdSource, Middleware, RunContext, RunInfo, RunProblem, StepArgs } from './types.ts';

/** What one run's steps, undos and nested runs share; implemented by the execution. */
export interface RunScope {
  readonly plan: Plan;
  readonly info: RunInfo;
  readonly context: RunContext;
  readonly hooks: HookSet;
  readonly clock: Clock;
  readonly random: () => number;
  readonly ids: IdSource;
  /** Every middleware of the run, handed on to nested reactors. */
  readonly middleware: readonly Middleware[];
  /** Aborts on run timeout and cancellation (with the matching OrchestratorError as its reason). */
  readonly signal: AbortSignal;
  /** Whether `signal` can abort at all (a cancel signal or a run timeout was given). */
  readonly abortable: boolean;
  /** True once the run has failed, halted, timed out or been cancelled: nothing new may start. */
  readonly stopping: boolean;
  laneFor(node: PlanNode): LimitFunction;
  /** Records a failure on the run (bound: it can be passed around as a function). */
  readonly problem: (problem: RunProblem) => void;
  /**
   * Work that lost the race against its timeout or the run's abort but may still be running. For a step attempt
   * (`step` given), a value it resolves with later is undone when the run ends.
   */
  abandon(work: Promise<unknown>, step: { readonly node: PlanNode; readonly args: StepArgs } | undefined): void;
  /** Never aborts: undo runs even after the run was cancelled. */
  readonly quietSignal: AbortSignal;
  /** A reversal registered after its attempt was over: it runs when the run ends. */
  lateUndo(step: string, undo: () => Awaitable<unknown>): void;
}
