import pLimit, { type LimitFunction } from 'p-limit';
import { AbandonedWork } from './abandoned-work.ts';
import type { Awaitable } from './directives.ts';
import { OrchestratorError, toError } from './errors.ts';
import { HookSet, middlewareError, type AttachedMiddleware } from './hooks.ts';
import type { Plan, PlanNode } from './plan.ts';
import type { RunScope } from './run-scope.ts';
import { runStep, type StepEnd } from './step-lifecycle.ts';
import type { Clock, HaltedState, IdSource, Middleware, RunContext, RunInfo, RunProblem, RunResult, StepArgs, StepStatus } from './types.ts';
import { undoAll, type CompletedEntry } from './undo.ts';

/** Everything a run needs, resolved from the reactor's defaults and the run's options. */
export interface ExecutionSettings {
  readonly plan: Plan;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly context: RunContext;
  readonly runId: string;
  readonly traceId: string;
  readonly parentSpanId: string | undefined;
  readonly middleware: readonly Middleware[];
  readonly clock: Clock;
  readonly random: () => number;
  readonly ids: IdSource;
  readonly concurrency: number;
  readonly async: boolean;
  readonly timeoutMs: number | undefined;
  readonly settleTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly record: boolean;
  readonly reversible: boolean;
  readonly resume: HaltedState | undefined;
}

type Stop =
  | { readonly kind: 'failed' | 'cancelled' | 'timeout'; readonly error: OrchestratorError }
  | { readonly kind: 'halted'; readonly reason: unknown };

/** One run of a plan: schedules ready steps, stops on failure, halt, timeout or cancel, then undoes or returns. */
class Execution implements RunScope {
  readonly plan: Plan;
  readonly info: RunInfo;
  readonly context: RunContext;
  readonly hooks: HookSet;
  readonly clock: Clock;
  readonly random: () => number;
  readonly ids: IdSource;
  readonly middleware: readonly Middleware[];
  readonly abortable: boolean;
  #quiet: AbortSignal | undefined;
  readonly #settings: ExecutionSettings;
  readonly #controller = new AbortController();
  readonly #pool: LimitFunction;
  #serial: LimitFunction | undefined;
  readonly #problems: RunProblem[] = [];
  readonly #remaining: number[];
  readonly #status: StepStatus[];
  readonly #attempts: number[];
  readonly #results: unknown[];
  readonly #args: StepArgs[];
  /** The undo stack, in completion order. */
  readonly #completed: CompletedEntry[] = [];
  readonly #ready: number[] = [];
  readonly #abandoned = new AbandonedWork();
  #readyHead = 0;
  #inFlight = 0;
  #stop: Stop | undefined;
  #idle: () => void = () => undefined;

  readonly problem = (problem: RunProblem): void => {
    this.#problems.push(problem);
  };

  constructor(settings: ExecutionSettings, info: RunInfo, hooks: HookSet) {
    this.#settings = settings;
    this.plan = settings.plan;
    this.info = info;
    this.context = settings.context;
    this.hooks = hooks;
    this.clock = settings.clock;
    this.random = settings.random;
    this.ids = settings.ids;
    this.middleware = settings.middleware;
    this.abortable = settings.signal !== undefined || settings.timeoutMs !== undefined;
    this.#pool = pLimit(settings.async ? settings.concurrency : 1);
    const nodes = this.plan.nodes;
    this.#status = nodes.map(() => 'not_started');
    this.#attempts = nodes.map(() => 0);
    this.#results = nodes.map(() => undefined);
    this.#args = nodes.map(() => ({}));
    for (const kept of settings.resume?.completed ?? []) {
      const node = nodes[this.plan.indexOf.get(kept.step) ?? -1];
      if (node === undefined) continue;
      this.#status[node.index] = 'completed';
      this.#attempts[node.index] = kept.attempts;
      this.#results[node.index] = kept.value;
      this.#args[node.index] = kept.args;
      this.#completed.push({ node, value: kept.value, args: kept.args, attempts: kept.attempts, undos: kept.undos });
    }
    this.#remaining = nodes.map((node) => node.dependencies.filter((dep) => this.#status[dep] !== 'completed').length);
    for (const node of nodes) if (this.#status[node.index] !== 'completed' && this.#remaining[node.index] === 0) this.#ready.push(node.index);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get quietSignal(): AbortSignal {
    this.#quiet ??= new AbortController().signal;
    return this.#quiet;
  }

  get stopping(): boolean {
    return this.#stop !== undefined;
  }

  laneFor(node: PlanNode): LimitFunction {
    if (node.async && this.#settings.async) return this.#pool;
    this.#serial ??= pLimit(1);
    return this.#serial;
  }

  abandon(work: Promise<unknown>, step: { readonly node: PlanNode; readonly args: StepArgs } | undefined): void {
    this.#abandoned.track(work, step);
  }

  lateUndo(step: string, undo: () => Awaitable<unknown>): void {
    this.#abandoned.lateUndo(step, undo);
  }

  async run(refused: OrchestratorError | undefined): Promise<RunResult<unknown>> {
    const rejected = refused ?? (await this.hooks.emitFatal('runStart', { at: this.info.startedAt }));
    if (rejected !== undefined) {
      this.#stop = { kind: 'failed', error: rejected };
      return this.#finish();
    }
    const disarm = this.#armStops();
    try {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
        this.#launchReady();
        if (this.#inFlight === 0) resolve();
      });
    } finally {
      disarm();
    }
    await this.#abandoned.settle(this.clock, this.#settings.settleTimeoutMs, this.problem);
    return this.#finish();
  }

  #armStops(): () => void {
    const disarm: (() => void)[] = [];
    const external = this.#settings.signal;
    const name = this.plan.name;
    if (external !== undefined) {
      const onAbort = (): void =>
        this.#abortWith('cancelled', new OrchestratorError('RUN_CANCELLED', `run of reactor ${name} was cancelled`, { reactor: name, cause: external.reason }));
      if (external.aborted) onAbort();
      else {
        external.addEventListener('abort', onAbort, { once: true });
        disarm.push(() => external.removeEventListener('abort', onAbort));
      }
    }
    const timeoutMs = this.#settings.timeoutMs;
    if (timeoutMs !== undefined) {
      disarm.push(this.clock.setTimer(timeoutMs, () => this.#abortWith('timeout', new OrchestratorError('RUN_TIMEOUT', `run of reactor ${name} timed out after ${timeoutMs} ms`, { reactor: name }))));
    }
    return () => disarm.forEach((undo) => undo());
  }

  #abortWith(kind: 'cancelled' | 'timeout', error: OrchestratorError): void {
    this.#stop ??= { kind, error };
    this.#controller.abort(error);
  }

  #launchReady(): void {
    while (this.#stop === undefined && this.#readyHead < this.#ready.length) {
      const node = this.plan.nodes[this.#ready[this.#readyHead] ?? -1];
      this.#readyHead += 1;
      if (node !== undefined) this.#launch(node);
    }
  }

  #launch(node: PlanNode): void {
    this.#inFlight += 1;
    const args: Record<string, unknown> = {};
    for (const arg of node.args) {
      args[arg.key] = arg.source === 'input' ? this.#settings.inputs[arg.name] : arg.source === 'result' ? this.#results[arg.node] : arg.value;
    }
    this.#args[node.index] = args;
    runStep(this, node, args).then(
      (end) => this.#settle(node, end),
      (error: unknown) => {
        const internal = new OrchestratorError('STEP_FAILED', `step ${node.name} failed inside the orchestrator: ${toError(error).message}`, { step: node.name, cause: error });
        this.#settle(node, { kind: 'failed', error: internal, attempts: this.#attempts[node.index] ?? 0 });
      },
    );
  }

  #settle(node: PlanNode, end: StepEnd): void {
    this.#inFlight -= 1;
    const index = node.index;
    switch (end.kind) {
      case 'completed':
        this.#status[index] = 'completed';
        this.#attempts[index] = end.attempts;
        this.#results[index] = end.value;
        this.#completed.push({ node, value: end.value, args: this.#args[index] ?? {}, attempts: end.attempts, undos: end.undos });
        for (const dependent of node.dependents) {
          const left = (this.#remaining[dependent] ?? 0) - 1;
          this.#remaining[dependent] = left;
          if (left === 0) this.#ready.push(dependent);
        }
        break;
      case 'failed':
        this.#status[index] = 'failed';
        this.#attempts[index] = end.attempts;
        if (this.#stop === undefined) this.#stop = { kind: 'failed', error: end.error };
        else if (end.error.code !== 'RUN_STOPPED') this.problem({ phase: 'step', step: node.name, error: end.error });
        break;
      case 'halted':
        this.#status[index] = 'halted';
        this.#attempts[index] = end.attempts;
        this.#stop ??= { kind: 'halted', reason: end.reason };
        break;
      case 'not_started':
        break;
    }
    this.#launchReady();
    if (this.#inFlight === 0) this.#idle();
  }

  #summary(): { reactor: string; runId: string; traceId: string; durationMs: number; steps: RunResult<unknown>['steps']; problems: readonly RunProblem[] } {
    const steps = this.plan.nodes.map((node) => ({ name: node.name, status: this.#status[node.index] ?? 'not_started', attempts: this.#attempts[node.index] ?? 0 }));
    const { reactor, runId, traceId, startedAt } = this.info;
    return { reactor, runId, traceId, durationMs: this.clock.now() - startedAt, steps, problems: this.#problems };
  }

  async #finish(): Promise<RunResult<unknown>> {
    const stop = this.#stop;
    await this.#abandoned.undoLate(this);
    if (stop === undefined) {
      const value = this.#results[this.plan.returnIndex];
      if (this.hooks.has('runComplete')) await this.hooks.emit('runComplete', { value, endedAt: this.clock.now() }, this.problem);
      return { status: 'completed', value, undo: this.#settings.reversible ? this.#undoOnce() : undefined, ...this.#summary() };
    }
    if (stop.kind === 'halted') {
      const { reactor, runId, traceId } = this.info;
      const completed = this.#completed.map((e) => ({ step: e.node.name, value: e.value, args: e.args, attempts: e.attempts, undos: e.undos }));
      const state: HaltedState = { reactor, runId, traceId, inputs: this.#settings.inputs, context: this.context, completed, middleware: this.hooks.snapshots(this.problem) };
      if (this.hooks.has('runHalt')) await this.hooks.emit('runHalt', { reason: stop.reason, endedAt: this.clock.now() }, this.problem);
      return { status: 'halted', reason: stop.reason, state, ...this.#summary() };
    }
    await undoAll(this, this.#completed, (entry) => {
      this.#status[entry.node.index] = 'undone';
    });
    await this.#abandoned.settle(this.clock, this.#settings.settleTimeoutMs, this.problem);
    const event = { error: stop.error, problems: this.#problems, endedAt: this.clock.now() };
    if (stop.kind === 'cancelled') {
      if (this.hooks.has('runCancel')) await this.hooks.emit('runCancel', event, this.problem);
      return { status: 'cancelled', error: stop.error, ...this.#summary() };
    }
    if (this.hooks.has('runError')) await this.hooks.emit('runError', event, this.problem);
    return { status: 'failed', error: stop.error, ...this.#summary() };
  }

  /** The undo of a reversible completed run: works once, later calls find nothing left to undo. */
  #undoOnce(): () => Promise<readonly RunProblem[]> {
    let entries: readonly CompletedEntry[] = this.#completed;
    return async () => {
      const pending = entries;
      entries = [];
      const before = this.#problems.length;
      await undoAll(this, pending, (entry) => {
        this.#status[entry.node.index] = 'undone';
      });
      return this.#problems.slice(before);
    };
  }
}

/** Attaches the middleware (in order), then runs. A failing `attach` fails the run before any step. */
export async function execute(settings: ExecutionSettings): Promise<RunResult<unknown>> {
  const restored = settings.resume?.middleware ?? {};
  const base = {
    reactor: settings.plan.name,
    runId: settings.runId,
    traceId: settings.traceId,
    spanId: settings.ids.spanId(),
    parentSpanId: settings.parentSpanId,
    inputs: settings.inputs,
    context: settings.context,
    steps: settings.plan.nodes.map((node) => node.name),
    record: settings.record,
    resumed: settings.resume !== undefined,
    startedAt: settings.clock.now(),
  };
  const attached: AttachedMiddleware[] = [];
  let refused: OrchestratorError | undefined;
  for (const middleware of settings.middleware) {
    try {
      attached.push({ name: middleware.name, hooks: await middleware.attach({ ...base, restored: restored[middleware.name] }) });
    } catch (error) {
      refused = middlewareError(middleware.name, 'attach', error, undefined);
      break;
    }
  }
  return new Execution(settings, { ...base, restored: undefined }, new HookSet(attached)).run(refused);
}
