// Issue 7: the byte budget bounds how many body bytes are decoded and stored at once (memory), first come first
// served, a body larger than the budget alone, a wait cut off by the pipeline's time limit.
import { describe, expect, it } from 'vitest';
import { OtlpError } from '../../src/otlp/errors.ts';
import { ByteBudget } from '../../src/otlp/http/byte-budget.ts';

const never = new AbortController().signal;

/** Resolves on the next turns of the event loop, so granted waiters have run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ByteBudget', () => {
  it('grants what fits at once and queues the rest in arrival order', async () => {
    const budget = new ByteBudget(10);
    const releaseA = await budget.acquire(6, never);
    const granted: string[] = [];
    const b = budget.acquire(6, never).then((release) => {
      granted.push('b');
      return release;
    });
    // c would fit (6 + 3 <= 10) but b came first: no overtaking, so a large body is never starved.
    const c = budget.acquire(3, never).then((release) => {
      granted.push('c');
      return release;
    });
    await settle();
    expect({ used: budget.used, waiting: budget.waiting, granted }).toEqual({ used: 6, waiting: 2, granted: [] });
    releaseA();
    await settle();
    expect({ used: budget.used, waiting: budget.waiting, granted }).toEqual({
      used: 9,
      waiting: 0,
      granted: ['b', 'c'],
    });
    (await b)();
    (await c)();
    expect(budget.used).toBe(0);
  });

  it('a body larger than the whole budget takes all of it and runs alone', async () => {
    const budget = new ByteBudget(10);
    const small = await budget.acquire(1, never);
    let bigGranted = false;
    const big = budget.acquire(1000, never).then((release) => {
      bigGranted = true;
      return release;
    });
    await settle();
    expect(bigGranted).toBe(false);
    small();
    const releaseBig = await big;
    expect(budget.used).toBe(10);
    releaseBig();
    releaseBig(); // a second call changes nothing
    expect(budget.used).toBe(0);
  });

  it('a wait cut off by the time limit is PIPELINE_TIMEOUT and leaves the queue', async () => {
    const budget = new ByteBudget(10);
    const held = await budget.acquire(10, never);
    const controller = new AbortController();
    const waiting = budget.acquire(5, controller.signal);
    await settle();
    expect(budget.waiting).toBe(1);
    controller.abort();
    const error = await waiting.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(OtlpError);
    expect(error).toMatchObject({ code: 'PIPELINE_TIMEOUT', httpStatus: 503, retryAfterSeconds: 1 });
    expect(budget.waiting).toBe(0);
    held();
    expect(budget.used).toBe(0);
  });
});
