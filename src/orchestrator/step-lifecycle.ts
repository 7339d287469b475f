import { AttemptContext } from './attempt-context.ts';
import { backoffDelay } from './clock.ts';
import { ContinueWith, Directive, Fail, Halt, Retry, type Awaitable } from './directives.ts';
import { OrchestratorError, toError } from './errors.ts';
import { guardedSignal, invoke, settleOrAbort } from './guard.ts';
import type { PlanNode } from './plan.ts';
import type { RunScope } from './run-scope.ts';
import type { StepArgs } from './types.ts';

/** How a step ended, after all its attempts, compensations and retries. */
export type StepEnd =
  | { readonly kind: 'completed'; readonly value: unknown; readonly attempts: number; readonly undos: readonly (() => Awaitable<unknown>)[] }
  | { readonly kind: 'failed'; readonly error: OrchestratorError; readonly attempts: number }
  | { readonly kind: 'halted'; readonly reason: unknown; readonly attempts: number }
  | { readonly kind: 'not_started' };

interface Timing {
  readonly ctx: AttemptContext;
  readonly startedAt: number;
  readonly endedAt: number;
}

type AttemptOutcome =
  | (Timing & { readonly kind: 'value'; readonly value: unknown })
  | (Timing & { readonly kind: 'retry'; readonly reason: unknown })
  | (Timing & { readonly kind: 'halt'; readonly reason: unknown })
  /** `final`: neither compensated nor retried (a middleware refused the step, or the run stopped first). */
  | (Timing & { readonly kind: 'error'; readonly error: Error; readonly final: boolean })
  | { readonly kind: 'not_started' };

type Decision = { readonly kind: 'retry' } | { readonly kind: 'fail'; readonly error: Error } | { readonly kind: 'continue'; readonly value: unknown; readonly ctx: AttemptContext };

const notStarted = { kind: 'not_started' } as const;

const timeoutError = (node: PlanNode, what: string): OrchestratorError =>
  new OrchestratorError('STEP_TIMEOUT', `${what} of step ${node.name} timed out after ${String(node.timeoutMs)} ms`, { step: node.name });

export const stoppedError = (step: string, cause?: unknown): OrchestratorError =>
  new OrchestratorError('RUN_STOPPED', `step ${step} did not run: the run stopped`, { step, cause });

/** The step's error as the run reports it: coded errors about this step stay, anything else is wrapped. */
function asStepError(scope: RunScope, node: PlanNode, error: Error): OrchestratorError {
  if (error === scope.signal.reason) return stoppedError(node.name, error);
  if (error instanceof OrchestratorError && error.step === node.name) return error;
  return new OrchestratorError('STEP_FAILED', `step ${node.name} failed: ${error.message}`, { reactor: scope.info.reactor, step: node.name, cause: error });
}

/** Runs reversals registered by an attempt that did not complete, last first; failures are recorded. */
export async function reverse(scope: RunScope, step: string, undos: readonly (() => Awaitable<unknown>)[]): Promise<Error[]> {
  const errors: Error[] = [];
  for (let i = undos.length - 1; i >= 0; i -= 1) {
    const undo = undos[i];
    if (undo === undefined) continue;
    try {
      await undo();
    } catch (thrown) {
      const error = new OrchestratorError('UNDO_FAILED', `undo of step ${step} failed: ${toError(thrown).message}`, { step, cause: thrown });
      errors.push(error);
      scope.problem({ phase: 'undo', step, error });
    }
  }
  return errors;
}

interface Guarded {
  readonly ctx: AttemptContext;
  readonly raw: unknown;
  /** Set when `work` threw (or timed out, or the run aborted it) instead of returning. */
  readonly thrown: Error | undefined;
  /** `before` refused: `work` never ran. */
  readonly refused: boolean;
}

/**
 * Calls `work` under the attempt's signal; a timeout or the run's abort settles it at once. `before` (the stepStart
 * hooks) runs first and is not raced, so that what it writes is complete before anything reacts to the attempt.
 */
async function guarded(
  scope: RunScope,
  node: PlanNode,
  what: string,
  args: StepArgs,
  attempt: number,
  work: (ctx: AttemptContext) => unknown,
  before?: (ctx: AttemptContext) => Promise<Error | undefined>,
): Promise<Guarded> {
  const guard = guardedSignal(scope.clock, scope.signal, scope.abortable, node.timeoutMs, () => timeoutError(node, what));
  const ctx = new AttemptContext(scope, node, attempt, guard.signal);
  try {
    const refusal = before === undefined ? undefined : await before(ctx);
    if (refusal !== undefined) return { ctx, raw: undefined, thrown: refusal, refused: true };
    const pending = invoke(() => work(ctx));
    const raw = guard.abortable ? await settleOrAbort(pending, guard.signal, (w) => scope.abandon(w, what === 'attempt' ? { node, args } : undefined)) : await pending;
    return { ctx, raw, thrown: undefined, refused: false };
  } catch (error) {
    return { ctx, raw: undefined, thrown: toError(error), refused: false };
  } finally {
    guard.dispose();
    ctx.close();
  }
}

async function runAttempt(scope: RunScope, node: PlanNode, args: StepArgs, attempt: number): Promise<AttemptOutcome> {
  if (scope.stopping) return notStarted;
  const startedAt = scope.clock.now();
  const announce = async (c: AttemptContext): Promise<Error | undefined> => {
    const refused = await scope.hooks.emitFatal('stepStart', { step: node.name, attempt, spanId: c.spanId, at: startedAt }, node.name);
    if (refused !== undefined || !scope.stopping) return refused;
    return stoppedError(node.name, c.signal.reason);
  };
  const outcome = await guarded(scope, node, 'attempt', args, attempt, (c) => node.spec.run(args, c), scope.hooks.has('stepStart') ? announce : undefined);
  const ctx = outcome.ctx;
  const endedAt = scope.clock.now();
  const timing = { ctx, startedAt, endedAt };
  const raw = outcome.raw;
  if (outcome.thrown === undefined && !(raw instanceof Directive)) return { kind: 'value', value: raw, ...timing };
  // The attempt did not complete: what it registered with onUndo is reversed now.
  await reverse(scope, node.name, ctx.undos);
  if (outcome.thrown !== undefined) return { kind: 'error', error: outcome.thrown, final: outcome.refused, ...timing };
  if (raw instanceof Retry) return { kind: 'retry', reason: raw.reason, ...timing };
  if (raw instanceof Halt) return { kind: 'halt', reason: raw.reason, ...timing };
  if (raw instanceof Fail) return { kind: 'error', error: raw.error, final: false, ...timing };
  const invalid = new OrchestratorError('INVALID_RESULT', `step ${node.name} returned continueWith(), which only compensate may return`, { step: node.name });
  return { kind: 'error', error: invalid, final: false, ...timing };
}

/** The failing step's compensation decides; without one, the error is retried while `maxRetries` allows. */
async function compensate(scope: RunScope, node: PlanNode, args: StepArgs, failed: Timing, error: Error): Promise<Decision> {
  const spec = node.spec;
  const attempt = failed.ctx.attempt;
  if (spec.compensate === undefined) return attempt <= node.maxRetries ? { kind: 'retry' } : { kind: 'fail', error };
  const startedAt = scope.clock.now();
  const { ctx, raw, thrown } = await guarded(scope, node, 'compensation', args, attempt, (c) => spec.compensate?.(error, args, c));
  let decision: Decision = { kind: 'fail', error };
  let failure: Error | undefined;
  if (thrown !== undefined) {
    failure = new OrchestratorError('COMPENSATE_FAILED', `compensation of step ${node.name} failed: ${thrown.message}`, { step: node.name, cause: thrown });
  } else if (raw instanceof Retry) decision = { kind: 'retry' };
  else if (raw instanceof ContinueWith) decision = { kind: 'continue', value: raw.value, ctx };
  else if (raw instanceof Fail) decision = { kind: 'fail', error: raw.error };
  else if (raw !== undefined) {
    failure = new OrchestratorError('INVALID_RESULT', `compensation of step ${node.name} returned something other than retry(), continueWith() or fail()`, {
      step: node.name,
    });
  }
  if (decision.kind !== 'continue') await reverse(scope, node.name, ctx.undos);
  if (failure !== undefined) scope.problem({ phase: 'compensate', step: node.name, error: failure });
  if (scope.hooks.has('stepCompensate')) {
    const event = {
      step: node.name,
      attempt,
      spanId: ctx.spanId,
      attemptSpanId: failed.ctx.spanId,
      startedAt,
      endedAt: scope.clock.now(),
      error,
      outcome: decision.kind,
      value: decision.kind === 'continue' ? decision.value : undefined,
      failure,
    };
    await scope.hooks.emit('stepCompensate', event, scope.problem, node.name);
  }
  return decision;
}

/**
 * One step from first attempt to its end: attempts run in the step's lane (a p-limit slot), backoff waits outside
 * it; errors go to compensation, retries are granted while `maxRetries` allows and the run is not stopping.
 */
export async function runStep(scope: RunScope, node: PlanNode, args: StepArgs): Promise<StepEnd> {
  const lane = scope.laneFor(node);
  const hooks = scope.hooks;
  let lastError: Error | undefined;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await lane(runAttempt, scope, node, args, attempt);
    if (outcome.kind === 'not_started') {
      return attempt === 1 ? notStarted : { kind: 'failed', error: stoppedError(node.name, lastError), attempts: attempt - 1 };
    }
    const event = () => ({ step: node.name, attempt, spanId: outcome.ctx.spanId, startedAt: outcome.startedAt, endedAt: outcome.endedAt });
    if (outcome.kind === 'value') {
      if (hooks.has('stepComplete')) await hooks.emit('stepComplete', { ...event(), value: outcome.value }, scope.problem, node.name);
      return { kind: 'completed', value: outcome.value, attempts: attempt, undos: outcome.ctx.undos };
    }
    if (outcome.kind === 'halt') {
      if (hooks.has('stepHalt')) await hooks.emit('stepHalt', { ...event(), reason: outcome.reason }, scope.problem, node.name);
      return { kind: 'halted', reason: outcome.reason, attempts: attempt };
    }
    let reason: unknown;
    if (outcome.kind === 'retry' && attempt <= node.maxRetries && !scope.stopping) {
      reason = outcome.reason;
    } else {
      const error =
        outcome.kind === 'error'
          ? outcome.error
          : new OrchestratorError('RETRIES_EXCEEDED', `step ${node.name} asked for a retry after ${attempt} attempt(s); maxRetries is ${node.maxRetries}`, {
              step: node.name,
              cause: outcome.reason,
            });
      if (hooks.has('stepError')) await hooks.emit('stepError', { ...event(), error }, scope.problem, node.name);
      if (outcome.kind === 'error' && outcome.final) return { kind: 'failed', error: asStepError(scope, node, error), attempts: attempt };
      const decision = await compensate(scope, node, args, outcome, error);
      if (decision.kind === 'continue') return { kind: 'completed', value: decision.value, attempts: attempt, undos: decision.ctx.undos };
      if (decision.kind === 'fail') return { kind: 'failed', error: asStepError(scope, node, decision.error), attempts: attempt };
      if (attempt > node.maxRetries) {
        const exceeded = new OrchestratorError('RETRIES_EXCEEDED', `step ${node.name} failed after ${attempt} attempt(s); maxRetries is ${node.maxRetries}`, {
          step: node.name,
          cause: error,
        });
        return { kind: 'failed', error: exceeded, attempts: attempt };
      }
      if (scope.stopping) return { kind: 'failed', error: asStepError(scope, node, error), attempts: attempt };
      reason = error;
    }
    lastError = toError(reason ?? `step ${node.name} asked for a retry`);
    const delayMs = backoffDelay(node.spec.backoff, attempt, reason, scope.random);
    if (hooks.has('stepRetry')) await hooks.emit('stepRetry', { ...event(), reason, delayMs }, scope.problem, node.name);
    if (delayMs > 0) await scope.clock.sleep(delayMs, scope.signal);
  }
}
