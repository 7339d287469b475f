import { Directive, type Awaitable } from './directives.ts';
import { OrchestratorError } from './errors.ts';
import type { PlanNode } from './plan.ts';
import type { RunScope } from './run-scope.ts';
import { reverse } from './step-lifecycle.ts';
import type { Clock, RunProblem, StepArgs } from './types.ts';
import { undoAll, type CompletedEntry } from './undo.ts';

/**
 * Work a run gave up on (timed out or aborted) that may still be running. The run waits for it before it ends, and
 * undoes what it produced too late, so that nothing of a run outlives it and no side effect is left behind unowned.
 */
export class AbandonedWork {
  readonly #pending = new Map<Promise<void>, string | undefined>();
  readonly #lateValues: CompletedEntry[] = [];
  readonly #lateUndos: { readonly step: string; readonly undo: () => Awaitable<unknown> }[] = [];

  track(work: Promise<unknown>, step: { readonly node: PlanNode; readonly args: StepArgs } | undefined): void {
    const tracked = work.then(
      (value) => {
        if (step !== undefined && !(value instanceof Directive)) this.#lateValues.push({ ...step, value, attempts: 0, undos: [] });
      },
      // Its failure was already reported when it lost the race (as the timeout or the run's abort).
      () => undefined,
    );
    this.#pending.set(tracked, step?.node.name);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  lateUndo(step: string, undo: () => Awaitable<unknown>): void {
    this.#lateUndos.push({ step, undo });
  }

  /** Waits for the abandoned work to settle, at most `timeoutMs`; what is still running then is reported. */
  async settle(clock: Clock, timeoutMs: number, report: (problem: RunProblem) => void): Promise<void> {
    if (this.#pending.size === 0) return;
    let cancel = (): void => undefined;
    const deadline = new Promise<boolean>((resolve) => {
      cancel = clock.setTimer(timeoutMs, () => resolve(true));
    });
    const timedOut = await Promise.race([Promise.all(this.#pending.keys()).then(() => false), deadline]);
    cancel();
    if (!timedOut) return;
    for (const step of this.#pending.values()) {
      const error = new OrchestratorError('ABANDONED_STEP', `work of step ${step ?? '?'} was still running ${timeoutMs} ms after it was aborted`, {
        ...(step === undefined ? {} : { step }),
      });
      report({ phase: 'abandoned', step, error });
    }
  }

  /** Undoes results that arrived after their attempt was given up, and reversals registered after it ended. */
  async undoLate(scope: RunScope): Promise<void> {
    await undoAll(scope, this.#lateValues.splice(0), () => undefined);
    for (const { step, undo } of this.#lateUndos.splice(0).reverse()) await reverse(scope, step, [undo]);
  }
}
