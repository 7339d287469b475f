/**
 * What a step (or its compensation or undo) may return besides a plain value. Directives are class instances, so no
 * value a step computes can be mistaken for one.
 */
export abstract class Directive {
  abstract readonly kind: 'retry' | 'halt' | 'fail' | 'continue';
}

/** Run the step again (after a backoff), if its `maxRetries` allows. */
export class Retry extends Directive {
  readonly kind = 'retry';
  readonly reason: unknown;
  constructor(reason: unknown) {
    super();
    this.reason = reason;
  }
}

/** Stop the run, keeping every completed result, so that it can be resumed later. */
export class Halt extends Directive {
  readonly kind = 'halt';
  readonly reason: unknown;
  constructor(reason: unknown) {
    super();
    this.reason = reason;
  }
}

/** Fail the step with this error (the same as throwing it). */
export class Fail extends Directive {
  readonly kind = 'fail';
  readonly error: Error;
  constructor(error: Error) {
    super();
    this.error = error;
  }
}

/** From `compensate`: treat the failed step as completed with this value. */
export class ContinueWith<TValue> extends Directive {
  readonly kind = 'continue';
  readonly value: TValue;
  constructor(value: TValue) {
    super();
    this.value = value;
  }
}

/**
 * Ask for another attempt.
 * @example run: async () => (await ready()) ? 'done' : retry('not ready yet')
 */
export const retry = (reason?: unknown): Retry => new Retry(reason);

/**
 * Halt the run; `reactor.resume(result.state)` continues it later.
 * @example run: ({ approval }) => (approval.granted ? approval : halt('waiting for approval'))
 */
export const halt = (reason?: unknown): Halt => new Halt(reason);

/**
 * Fail the step without throwing.
 * @example run: ({ order }) => (order.total > 0 ? order : fail(new Error('empty order')))
 */
export const fail = (error: Error): Fail => new Fail(error);

/**
 * From `compensate`: go on as if the step had returned `value`.
 * @example compensate: (error) => continueWith({ cached: true })
 */
export const continueWith = <TValue>(value: TValue): ContinueWith<TValue> => new ContinueWith(value);

/** What `run` may return: a value, or a directive (a thrown error fails the step). */
export type StepReturn<TValue> = TValue | Retry | Halt | Fail;

/** What `compensate` may return; nothing (or `fail()`) accepts the failure and lets undo begin. */
export type CompensateReturn<TValue> = void | undefined | Retry | Fail | ContinueWith<TValue>;

/** What `undo` may return; `retry()` tries again (up to 5 attempts), a thrown error is recorded on the run. */
export type UndoReturn = void | undefined | Retry;

export type Awaitable<T> = T | PromiseLike<T>;
