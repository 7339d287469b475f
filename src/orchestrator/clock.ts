import { performance } from 'node:perf_hooks';
import type { BackoffFunction, BackoffOptions, Clock } from './types.ts';

/** Real time: `performance` for sub-millisecond epoch time, timers for sleeps and timeouts. */
export function systemClock(): Clock {
  const origin = performance.timeOrigin;
  return {
    now: () => origin + performance.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted || ms <= 0) {
          resolve();
          return;
        }
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
      }),
    setTimer: (ms, fire) => {
      const timer = setTimeout(fire, ms);
      return () => clearTimeout(timer);
    },
  };
}

const defaultBackoff = { initialMs: 100, multiplier: 2, maxMs: 30_000, jitter: 0.1 } as const;

/**
 * The wait before retry number `retry` (1-based): 100, 200, 400 ... ms by default, capped at 30 s, plus up to 10 %
 * jitter so that steps failing together do not retry together.
 */
export function backoffDelay(policy: BackoffOptions | BackoffFunction | undefined, retry: number, reason: unknown, random: () => number): number {
  if (typeof policy === 'function') return Math.max(0, policy(retry, reason));
  const initialMs = policy?.initialMs ?? defaultBackoff.initialMs;
  const multiplier = policy?.multiplier ?? defaultBackoff.multiplier;
  const maxMs = policy?.maxMs ?? defaultBackoff.maxMs;
  const jitter = policy?.jitter ?? defaultBackoff.jitter;
  const base = Math.min(maxMs, initialMs * multiplier ** (retry - 1));
  return base + base * jitter * random();
}
