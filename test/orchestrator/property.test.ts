import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  continueWith,
  defineReactor,
  fail,
  halt,
  result,
  retry,
  type ArgSource,
  type RunResult,
  type StepContext,
  type StepSpec,
} from '../../src/orchestrator/index.ts';
import { fakeClock } from './fake-clock.ts';

/** What one attempt of a step does: return, throw, ask for a retry, halt, hang until aborted, or finish late ignoring the abort. */
const behaviours = ['ok', 'error', 'retry', 'halt', 'hang', 'late'] as const;
type Behaviour = (typeof behaviours)[number];
const compensations = ['none', 'continue', 'retry', 'fail'] as const;

interface StepPlan {
  readonly deps: readonly number[];
  readonly maxRetries: number;
  readonly attempts: readonly Behaviour[];
  readonly compensate: (typeof compensations)[number];
}

interface Scenario {
  readonly steps: readonly StepPlan[];
  readonly concurrency: number;
  readonly cancelWhenStepStarts: number | undefined;
  readonly runTimeout: boolean;
}

/** Mostly successes, so that runs also get far and complete. */
const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('ok' as const) },
  ...behaviours.filter((b) => b !== 'ok').map((b) => ({ weight: 1, arbitrary: fc.constant(b) })),
);

const scenario: fc.Arbitrary<Scenario> = fc
  .integer({ min: 1, max: 7 })
  .chain((count) =>
    fc.record({
      steps: fc.tuple(
        ...Array.from({ length: count }, (_, index) =>
          fc.record({
            deps: fc.subarray(Array.from({ length: index }, (_, i) => i)),
            maxRetries: fc.integer({ min: 0, max: 2 }),
            attempts: fc.array(behaviour, { maxLength: 4 }),
            compensate: fc.constantFrom(...compensations),
          }),
        ),
      ),
      concurrency: fc.integer({ min: 1, max: 4 }),
      cancelWhenStepStarts: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: count - 1 }) }),
      runTimeout: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
    }),
  );

const microtask = (): Promise<void> => Promise.resolve();
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs a scenario to its end (resuming halts) and checks the invariants. */
async function check(plan: Scenario): Promise<void> {
  const produced: string[] = [];
  const undone: string[] = [];
  const calls = new Map<number, number>();
  let inFlight = 0;
  let ended = false;
  const lateCalls: string[] = [];
  const controller = new AbortController();
  let tokenCounter = 0;

  const attempt = async (index: number, ctx: StepContext): Promise<unknown> => {
    if (ended) lateCalls.push(`step ${index} ran after the run ended`);
    const call = calls.get(index) ?? 0;
    calls.set(index, call + 1);
    if (plan.cancelWhenStepStarts === index) controller.abort('cancelled by the property');
    const behaviour = plan.steps[index]?.attempts[call] ?? 'ok';
    const token = (): string => {
      tokenCounter += 1;
      const t = `s${index}#${tokenCounter}`;
      produced.push(t);
      return t;
    };
    inFlight += 1;
    try {
      await microtask();
      switch (behaviour) {
        case 'ok':
          return token();
        case 'error':
          throw new Error(`step ${index} failed`);
        case 'retry':
          return retry('again');
        case 'halt':
          return halt(`halt at ${index}`);
        case 'hang':
          return await new Promise((_, reject) => {
            if (ctx.signal.aborted) reject(ctx.signal.reason);
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
          });
        case 'late':
          return await new Promise((resolve) => {
            const finish = (): void => void setImmediate(() => resolve(token()));
            if (ctx.signal.aborted) finish();
            else ctx.signal.addEventListener('abort', finish, { once: true });
          });
      }
    } finally {
      inFlight -= 1;
    }
  };

  const steps = plan.steps.map((step, index): StepSpec => {
    const args: Record<string, ArgSource> = {};
    for (const dep of step.deps) args[`d${dep}`] = result(`s${dep}`);
    const hangs = step.attempts.some((b) => b === 'hang' || b === 'late');
    return {
      name: `s${index}`,
      args,
      maxRetries: step.maxRetries,
      backoff: { initialMs: 10 },
      ...(hangs ? { timeoutMs: 50 } : {}),
      run: (_args, ctx) => attempt(index, ctx),
      undo: (value) => {
        if (ended) lateCalls.push(`undo of step ${index} ran after the run ended`);
        if (typeof value === 'string' && value.startsWith('s')) undone.push(value);
      },
      ...(step.compensate === 'none'
        ? {}
        : {
            compensate: () => (step.compensate === 'continue' ? continueWith(`continued s${index}`) : step.compensate === 'retry' ? retry() : fail(new Error('compensation gave up'))),
          }),
    };
  });
  const last = steps.at(-1)?.name ?? 's0';
  const dag = defineReactor({ name: 'random-dag', inputs: [], steps, returns: last });
  const options = {
    clock: fakeClock({ autoFire: true }),
    concurrency: plan.concurrency,
    signal: controller.signal,
    reversible: true,
    ...(plan.runTimeout ? { timeoutMs: 20 } : {}),
  };

  let outcome: RunResult<unknown> = await dag.run({}, options);
  for (let resumes = 0; outcome.status === 'halted' && resumes < 20; resumes += 1) {
    expect(inFlight).toBe(0);
    outcome = await dag.resume(outcome.state, options);
  }
  expect(outcome.status).not.toBe('halted');
  expect(inFlight).toBe(0);
  if (outcome.status === 'completed') {
    expect(outcome.value).toEqual(expect.any(String));
    // Reverse the completed run, so every result it kept is undone too: then every result ever produced is undone.
    expect(outcome.undo).toBeDefined();
    await outcome.undo?.();
    expect(await outcome.undo?.()).toEqual([]);
  }
  ended = true;
  expect(outcome.problems.filter((p) => p.phase === 'undo' || p.phase === 'abandoned')).toEqual([]);
  expect([...undone].sort()).toEqual([...produced].sort());
  expect(new Set(undone).size).toBe(undone.length);
  for (let i = 0; i < 5; i += 1) await turn();
  expect(lateCalls).toEqual([]);
}

describe('property: random DAGs with failures, retries, halts, timeouts and cancellation', () => {
  it('every completed result is returned or undone exactly once, and nothing runs after the run ends', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), { numRuns: 300 });
  });
});
