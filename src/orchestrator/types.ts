import type { Awaitable, CompensateReturn, UndoReturn } from './directives.ts';
import type { OrchestratorError } from './errors.ts';
import type { ArgSource, InputSpec } from './sources.ts';

/** Time, injected so tests control backoff and timeouts without waiting in real time. */
export interface Clock {
  /** Milliseconds since the Unix epoch, with sub-millisecond precision. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it never rejects). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Calls `fire` after `ms`; the returned function cancels it. */
  setTimer(ms: number, fire: () => void): () => void;
}

/** W3C trace context ids (lower-case hex) and run ids. */
export interface IdSource {
  /** 32 hex digits, not all zero. */
  traceId(): string;
  /** 16 hex digits, not all zero. */
  spanId(): string;
  /** A UUID. */
  runId(): string;
}

/** Exponential backoff: `min(maxMs, initialMs * multiplier^(retry-1))`, plus up to `jitter` of that at random. */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly multiplier?: number;
  readonly maxMs?: number;
  readonly jitter?: number;
}

/** Milliseconds to wait before retry number `retry` (1-based). */
export type BackoffFunction = (retry: number, reason: unknown) => number;

export type StepArgs = Readonly<Record<string, unknown>>;

/** Caller data every step sees; `traceId` (32 hex) and `parentSpanId` (16 hex) join the run to an existing trace. */
export interface RunContext {
  readonly traceId?: string;
  readonly parentSpanId?: string;
  readonly [key: string]: unknown;
}

/** What a step attempt sees besides its arguments. */
export interface StepContext {
  readonly reactor: string;
  readonly runId: string;
  readonly step: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly maxRetries: number;
  readonly traceId: string;
  /** The span of this attempt (parent of anything the step traces itself). */
  readonly spanId: string;
  /** Aborts on step timeout, run timeout and cancellation. */
  readonly signal: AbortSignal;
  readonly context: RunContext;
  /** Registers the reversal of work this attempt has done: it runs if the attempt fails, or when the step is undone. */
  onUndo(undo: () => Awaitable<unknown>): void;
  /** Runs another reactor inside this step (same trace, signal and middleware); it is undone with this step. */
  run<TInputs, TOutput>(reactor: Reactor<TInputs, TOutput>, inputs: TInputs): Promise<TOutput>;
}

/** What `undo` sees. */
export interface UndoContext {
  readonly reactor: string;
  readonly runId: string;
  readonly step: string;
  /** 1 for the first undo attempt; `retry()` from undo tries again, up to 5 attempts. */
  readonly attempt: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly signal: AbortSignal;
  readonly context: RunContext;
}

/** A step as data, with its types erased (the builder keeps them). */
export interface StepSpec {
  readonly name: string;
  readonly args: Readonly<Record<string, ArgSource>>;
  /** Steps that must complete first although no argument comes from them. */
  readonly waitFor?: readonly string[];
  /** Retries after the first attempt (default 0). */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  /** false: the step runs alone in a serial lane instead of the concurrent pool. */
  readonly async?: boolean;
  readonly backoff?: BackoffOptions | BackoffFunction;
  run(args: StepArgs, ctx: StepContext): unknown;
  undo?(value: unknown, args: StepArgs, ctx: UndoContext): Awaitable<UndoReturn>;
  compensate?(error: Error, args: StepArgs, ctx: StepContext): Awaitable<CompensateReturn<unknown>>;
}

export type InputDeclaration = InputSpec<unknown, boolean> & { readonly name: string };

/** Defaults of every run of a reactor; `RunOptions` override them per run. */
export interface ReactorOptions {
  /** Steps running at once (p-limit), default 5. */
  readonly concurrency?: number;
  /** false: every step runs alone, in declaration order among the ready ones. */
  readonly async?: boolean;
  /** The whole run's time limit: the run fails with RUN_TIMEOUT and undoes what completed. */
  readonly timeoutMs?: number;
  /** How long a finished run waits for aborted steps to settle (default 5000 ms). */
  readonly settleTimeoutMs?: number;
  readonly middleware?: readonly Middleware[];
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly ids?: IdSource;
}

/** A reactor as data: what `defineReactor` checks and the builder produces. */
export interface ReactorDefinition {
  readonly name: string;
  readonly inputs: readonly InputDeclaration[];
  readonly steps: readonly StepSpec[];
  readonly returns: string;
  readonly options?: ReactorOptions;
}

export interface RunOptions extends ReactorOptions {
  readonly context?: RunContext;
  readonly signal?: AbortSignal;
  /** Write the run to the Workflows domain (when a recorder middleware is installed). */
  readonly record?: boolean;
  /** Keep the undo stack of a completed run: `result.undo()` reverses it later (used by nested reactors). */
  readonly reversible?: boolean;
  readonly runId?: string;
}

/** A defined, checked reactor. */
export interface Reactor<TInputs, TOutput> {
  readonly name: string;
  readonly definition: ReactorDefinition;
  readonly run: (inputs: TInputs, options?: RunOptions) => Promise<RunResult<TOutput>>;
  /** Continues a halted run: completed steps keep their results, the rest run. */
  readonly resume: (state: HaltedState, options?: RunOptions) => Promise<RunResult<TOutput>>;
}

/** A failure that did not decide the run's outcome but must not be lost (undo, compensation, middleware, siblings). */
export interface RunProblem {
  readonly phase: 'step' | 'compensate' | 'undo' | 'middleware' | 'abandoned';
  readonly step: string | undefined;
  readonly error: Error;
}

export type StepStatus = 'not_started' | 'completed' | 'failed' | 'halted' | 'undone';

export interface StepReport {
  readonly name: string;
  readonly status: StepStatus;
  readonly attempts: number;
}

interface RunSummary {
  readonly reactor: string;
  readonly runId: string;
  readonly traceId: string;
  readonly durationMs: number;
  readonly steps: readonly StepReport[];
  readonly problems: readonly RunProblem[];
}

export interface CompletedRun<TOutput> extends RunSummary {
  readonly status: 'completed';
  readonly value: TOutput;
  /** With `reversible: true`: undoes every completed step, last completed first. */
  readonly undo: (() => Promise<readonly RunProblem[]>) | undefined;
}

export interface FailedRun extends RunSummary {
  readonly status: 'failed';
  readonly error: OrchestratorError;
}

export interface HaltedRun extends RunSummary {
  readonly status: 'halted';
  readonly reason: unknown;
  readonly state: HaltedState;
}

export interface CancelledRun extends RunSummary {
  readonly status: 'cancelled';
  readonly error: OrchestratorError;
}

export type RunResult<TOutput> = CompletedRun<TOutput> | FailedRun | HaltedRun | CancelledRun;

/** A completed step kept by a halted run. */
export interface CompletedStep {
  readonly step: string;
  readonly value: unknown;
  readonly args: StepArgs;
  readonly attempts: number;
  /** Reversals registered with `ctx.onUndo` (in memory: a halted state with them cannot cross processes). */
  readonly undos: readonly (() => Awaitable<unknown>)[];
}

/** Everything needed to resume a halted run. */
export interface HaltedState {
  readonly reactor: string;
  readonly runId: string;
  readonly traceId: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly context: RunContext;
  /** In completion order. */
  readonly completed: readonly CompletedStep[];
  /** What each middleware's `snapshot()` returned, by middleware name. */
  readonly middleware: Readonly<Record<string, unknown>>;
}

// ---- middleware ----

export interface RunInfo {
  readonly reactor: string;
  readonly runId: string;
  readonly traceId: string;
  /** The run's root span. */
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly context: RunContext;
  readonly steps: readonly string[];
  readonly record: boolean;
  /** This middleware's snapshot when the run resumes a halted one. */
  readonly restored: unknown;
  readonly resumed: boolean;
  readonly startedAt: number;
}

interface StepEvent {
  readonly step: string;
  readonly attempt: number;
  readonly spanId: string;
}

interface EndedStepEvent extends StepEvent {
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface HookEvents {
  readonly runStart: { readonly at: number };
  readonly runComplete: { readonly value: unknown; readonly endedAt: number };
  readonly runError: { readonly error: OrchestratorError; readonly problems: readonly RunProblem[]; readonly endedAt: number };
  readonly runHalt: { readonly reason: unknown; readonly endedAt: number };
  readonly runCancel: { readonly error: OrchestratorError; readonly problems: readonly RunProblem[]; readonly endedAt: number };
  readonly stepStart: StepEvent & { readonly at: number };
  readonly stepComplete: EndedStepEvent & { readonly value: unknown };
  readonly stepError: EndedStepEvent & { readonly error: Error };
  /** Another attempt follows after `delayMs`; `startedAt`/`endedAt` are those of the attempt that led to it. */
  readonly stepRetry: EndedStepEvent & { readonly reason: unknown; readonly delayMs: number };
  readonly stepHalt: EndedStepEvent & { readonly reason: unknown };
  readonly stepCompensate: EndedStepEvent & {
    readonly error: Error;
    readonly attemptSpanId: string;
    readonly outcome: 'retry' | 'continue' | 'fail';
    readonly value: unknown;
    /** The compensation's own failure (recorded as a problem), if it threw. */
    readonly failure: Error | undefined;
  };
  readonly stepUndo: EndedStepEvent & { readonly outcome: 'undone' | 'failed'; readonly errors: readonly Error[] };
}

export type HookName = keyof HookEvents;

export type HookFunctions = {
  readonly [K in HookName]?: (event: HookEvents[K]) => Awaitable<void>;
};

export type MiddlewareHooks = HookFunctions & {
  /** Kept in a halted run's state and given back as `run.restored` on resume. */
  readonly snapshot?: () => unknown;
};

/**
 * Observes runs. `attach` is called once per run and returns that run's hooks, so per-run state lives in the closure.
 * A failing `attach`, `runStart` or `stepStart` stops the run or step before its side effects; other hook failures
 * are recorded on the run's `problems`.
 */
export interface Middleware {
  readonly name: string;
  attach(run: RunInfo): Awaitable<MiddlewareHooks>;
}
