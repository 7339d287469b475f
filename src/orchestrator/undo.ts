import { backoffDelay } from './clock.ts';
import { Retry, type Awaitable } from './directives.ts';
import { OrchestratorError, toError } from './errors.ts';
import { guardedSignal, invoke, settleOrAbort } from './guard.ts';
import type { PlanNode } from './plan.ts';
import type { RunScope } from './run-scope.ts';
import { reverse } from './step-lifecycle.ts';
import type { StepArgs, UndoContext } from './types.ts';

/** A completed step on the undo stack. */
export interface CompletedEntry {
  readonly node: PlanNode;
  readonly value: unknown;
  readonly args: StepArgs;
  readonly attempts: number;
  /** Reversals the step registered with `ctx.onUndo` (nested reactors, map elements). */
  readonly undos: readonly (() => Awaitable<unknown>)[];
}

/** Reactor's limit: an undo that keeps asking for a retry fails after this many attempts. */
const maxUndoAttempts = 5;

async function undoAttempt(scope: RunScope, entry: CompletedEntry, attempt: number, spanId: string): Promise<unknown> {
  const { node } = entry;
  const undo = node.spec.undo;
  if (undo === undefined) return undefined;
  const timeout = (): Error => new OrchestratorError('STEP_TIMEOUT', `undo of step ${node.name} timed out after ${String(node.timeoutMs)} ms`, { step: node.name });
  const guard = guardedSignal(scope.clock, scope.quietSignal, false, node.timeoutMs, timeout);
  const ctx: UndoContext = {
    reactor: scope.info.reactor,
    runId: scope.info.runId,
    step: node.name,
    attempt,
    traceId: scope.info.traceId,
    spanId,
    signal: guard.signal,
    context: scope.context,
  };
  try {
    const pending = invoke(() => undo.call(node.spec, entry.value, entry.args, ctx));
    return await (guard.abortable ? settleOrAbort(pending, guard.signal, (w) => scope.abandon(w, undefined)) : pending);
  } finally {
    guard.dispose();
  }
}

/** Undoes one completed step: its `undo` (retried on `retry()`, at most 5 attempts), then its registered reversals. */
export async function undoEntry(scope: RunScope, entry: CompletedEntry): Promise<'undone' | 'failed' | 'not_undoable'> {
  const { node } = entry;
  if (node.spec.undo === undefined && entry.undos.length === 0) return 'not_undoable';
  const startedAt = scope.clock.now();
  const spanId = scope.ids.spanId();
  const errors: Error[] = [];
  let attempt = 1;
  for (; node.spec.undo !== undefined; attempt += 1) {
    try {
      const outcome = await undoAttempt(scope, entry, attempt, spanId);
      if (!(outcome instanceof Retry)) break;
      if (attempt >= maxUndoAttempts) {
        errors.push(new OrchestratorError('UNDO_FAILED', `undo of step ${node.name} still asked for a retry after ${attempt} attempts`, { step: node.name, cause: outcome.reason }));
        break;
      }
      await scope.clock.sleep(backoffDelay(node.spec.backoff, attempt, outcome.reason, scope.random), scope.quietSignal);
    } catch (thrown) {
      errors.push(new OrchestratorError('UNDO_FAILED', `undo of step ${node.name} failed: ${toError(thrown).message}`, { step: node.name, cause: thrown }));
      break;
    }
  }
  for (const error of errors) scope.problem({ phase: 'undo', step: node.name, error });
  errors.push(...(await reverse(scope, node.name, entry.undos)));
  const outcome = errors.length === 0 ? 'undone' : 'failed';
  if (scope.hooks.has('stepUndo')) {
    const event = { step: node.name, attempt: Math.min(attempt, maxUndoAttempts), spanId, startedAt, endedAt: scope.clock.now(), outcome, errors } as const;
    await scope.hooks.emit('stepUndo', event, scope.problem, node.name);
  }
  return outcome;
}

/** Undoes completed steps one at a time, last completed first (Reactor's documented LIFO, implemented explicitly). */
export async function undoAll(scope: RunScope, entries: readonly CompletedEntry[], undone: (entry: CompletedEntry) => void): Promise<void> {
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i];
    if (entry !== undefined && (await undoEntry(scope, entry)) === 'undone') undone(entry);
  }
}
