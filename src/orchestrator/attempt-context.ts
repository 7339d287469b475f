import type { Awaitable } from './directives.ts';
import { OrchestratorError } from './errors.ts';
import type { PlanNode } from './plan.ts';
import type { RunScope } from './run-scope.ts';
import type { Reactor, RunContext, RunProblem, StepContext } from './types.ts';

function undoFailure(reactor: string, step: string, problems: readonly RunProblem[]): OrchestratorError {
  return new OrchestratorError('UNDO_FAILED', `undoing nested reactor ${reactor} of step ${step} left ${problems.length} problem(s)`, {
    step,
    cause: new AggregateError(problems.map((p) => p.error)),
  });
}

/** The context of one step attempt. Its span id is drawn only when something asks for it. */
export class AttemptContext implements StepContext {
  readonly attempt: number;
  readonly signal: AbortSignal;
  /** Reversals registered during the attempt, in registration order. */
  readonly undos: (() => Awaitable<unknown>)[] = [];
  #closed = false;
  #spanId: string | undefined;
  readonly #scope: RunScope;
  readonly #node: PlanNode;

  constructor(scope: RunScope, node: PlanNode, attempt: number, signal: AbortSignal) {
    this.#scope = scope;
    this.#node = node;
    this.attempt = attempt;
    this.signal = signal;
  }

  get reactor(): string {
    return this.#scope.info.reactor;
  }
  get runId(): string {
    return this.#scope.info.runId;
  }
  get step(): string {
    return this.#node.name;
  }
  get maxRetries(): number {
    return this.#node.maxRetries;
  }
  get traceId(): string {
    return this.#scope.info.traceId;
  }
  get context(): RunContext {
    return this.#scope.context;
  }
  get spanId(): string {
    this.#spanId ??= this.#scope.ids.spanId();
    return this.#spanId;
  }

  /** After this, reversals registered by stray work go to the run's late list instead of this attempt. */
  close(): void {
    this.#closed = true;
  }

  onUndo(undo: () => Awaitable<unknown>): void {
    if (this.#closed) this.#scope.lateUndo(this.#node.name, undo);
    else this.undos.push(undo);
  }

  async run<TInputs, TOutput>(reactor: Reactor<TInputs, TOutput>, inputs: TInputs): Promise<TOutput> {
    const scope = this.#scope;
    const step = this.#node.name;
    const options = {
      context: { ...scope.context, traceId: this.traceId, parentSpanId: this.spanId },
      signal: this.signal,
      middleware: scope.middleware,
      clock: scope.clock,
      random: scope.random,
      ids: scope.ids,
    };
    const outcome = await reactor.run(inputs, { ...options, reversible: true });
    // The nested run's undo, compensation and middleware failures belong to this run too.
    for (const problem of outcome.problems) scope.problem(problem);
    switch (outcome.status) {
      case 'completed': {
        const undo = outcome.undo;
        if (undo !== undefined) {
          this.onUndo(async () => {
            const problems = await undo();
            if (problems.length > 0) throw undoFailure(reactor.name, step, problems);
          });
        }
        return outcome.value;
      }
      case 'halted': {
        // A halt does not cross reactor boundaries: the nested run's kept steps are undone (by resuming it cancelled).
        const discarded = await reactor.resume(outcome.state, { ...options, signal: AbortSignal.abort() });
        for (const problem of discarded.problems) scope.problem(problem);
        throw new OrchestratorError('SUB_REACTOR_FAILED', `nested reactor ${reactor.name} halted (${String(outcome.reason)}); a halt does not cross reactor boundaries`, {
          step,
        });
      }
      case 'failed':
      case 'cancelled':
        throw new OrchestratorError('SUB_REACTOR_FAILED', `nested reactor ${reactor.name} ${outcome.status}: ${outcome.error.message}`, { step, cause: outcome.error });
    }
  }
}
