import type { Clock } from '../../src/orchestrator/index.ts';

export interface FakeClock extends Clock {
  /** Every backoff the orchestrator asked to sleep, in order. */
  readonly sleeps: number[];
  /** Moves time on and fires the timers now due (step and run timeouts). */
  advance(ms: number): void;
  /** Timers waiting to fire. */
  readonly pendingTimers: () => number;
}

/**
 * Virtual time (an injected clock, the boundary the style guide allows faking): sleeps return at once and move time
 * on; timers fire when time is advanced past them, or, with `autoFire`, on the next turn of the event loop.
 */
export function fakeClock(options: { readonly start?: number; readonly autoFire?: boolean } = {}): FakeClock {
  let now = options.start ?? 1_750_000_000_000;
  const sleeps: number[] = [];
  let timers: { readonly due: number; readonly fire: () => void; cancelled: boolean }[] = [];
  const advance = (ms: number): void => {
    now += ms;
    const due = timers.filter((t) => !t.cancelled && t.due <= now).sort((a, b) => a.due - b.due);
    timers = timers.filter((t) => !t.cancelled && t.due > now);
    for (const timer of due) timer.fire();
  };
  return {
    sleeps,
    advance,
    pendingTimers: () => timers.filter((t) => !t.cancelled).length,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      advance(ms);
      return Promise.resolve();
    },
    setTimer: (ms, fire) => {
      const timer = { due: now + ms, fire, cancelled: false };
      timers.push(timer);
      if (options.autoFire === true) {
        setImmediate(() => {
          if (!timer.cancelled && timers.includes(timer)) advance(Math.max(0, timer.due - now));
        });
      }
      return () => {
        timer.cancelled = true;
      };
    },
  };
}

/** A promise with its resolver, to hold a step until the test lets it go. */
export function gate<T = void>(): { readonly promise: Promise<T>; readonly open: (value: T) => void } {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves once `signal` aborts, rejecting with its reason (what a well-behaved step does on cancellation). */
export const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** Counts how many calls are in flight at once. */
export function inFlightMeter(): { readonly max: () => number; readonly track: <T>(work: () => Promise<T>) => Promise<T> } {
  let current = 0;
  let max = 0;
  return {
    max: () => max,
    track: async (work) => {
      current += 1;
      max = Math.max(max, current);
      try {
        return await work();
      } finally {
        current -= 1;
      }
    },
  };
}
