import type { Clock } from './types.ts';

export interface GuardedSignal {
  readonly signal: AbortSignal;
  /** Whether the signal can abort at all (else racing against it is pointless). */
  readonly abortable: boolean;
  dispose(): void;
}

const noop = (): void => undefined;

/**
 * The signal of one attempt (of a step, a compensation or an undo): the run's signal, plus a timer that aborts it
 * with `timeoutError()` after `timeoutMs`.
 */
export function guardedSignal(clock: Clock, base: AbortSignal, baseAbortable: boolean, timeoutMs: number | undefined, timeoutError: () => Error): GuardedSignal {
  if (timeoutMs === undefined) return { signal: base, abortable: baseAbortable, dispose: noop };
  const controller = new AbortController();
  const cancel = clock.setTimer(timeoutMs, () => controller.abort(timeoutError()));
  return { signal: baseAbortable ? AbortSignal.any([base, controller.signal]) : controller.signal, abortable: true, dispose: cancel };
}

/** Calls `work`, turning a synchronous throw into a rejection. */
export function invoke<T>(work: () => T): Promise<Awaited<T>> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts; in that case `abandon(work)` is told,
 * because JavaScript cannot stop the work itself (it gets the signal and should stop on its own).
 */
export function settleOrAbort<T>(work: Promise<T>, signal: AbortSignal, abandon: (work: Promise<T>) => void): Promise<T> {
  if (signal.aborted) {
    abandon(work);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      abandon(work);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
