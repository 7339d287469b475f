import { describe, expect, it } from 'vitest';
import { defineReactor, halt, input, reactor, required, result, retry, type StepSpec } from '../../src/orchestrator/index.ts';
import { fakeClock, gate, inFlightMeter, untilAborted } from './fake-clock.ts';

/** Steps that each wait on their own gate, so a test decides the order in which they complete. */
function gatedSteps(names: readonly string[], log: string[]) {
  const gates = new Map(names.map((name) => [name, gate()]));
  const started = new Set<string>();
  const steps = names.map(
    (name): StepSpec => ({
      name,
      args: {},
      run: async () => {
        started.add(name);
        await gates.get(name)?.promise;
        return `${name}-value`;
      },
      undo: (v) => {
        log.push(`undo ${String(v)}`);
      },
    }),
  );
  const release = (name: string): void => gates.get(name)?.open();
  return { steps, release, started };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !condition(); i += 1) await tick();
  if (!condition()) throw new Error('condition never became true');
};

describe('scheduling', () => {
  it('runs independent steps concurrently, never more than the limit (default 5)', async () => {
    const meter = inFlightMeter();
    const steps = Array.from({ length: 12 }, (_, i): StepSpec => ({ name: `s${i}`, args: {}, run: () => meter.track(tick) }));
    const join: StepSpec = { name: 'join', args: {}, waitFor: steps.map((s) => s.name), run: () => 'done' };
    const fanOut = defineReactor({ name: 'fan', inputs: [], steps: [...steps, join], returns: 'join' });
    expect(await fanOut.run({})).toMatchObject({ status: 'completed', value: 'done' });
    expect(meter.max()).toBe(5);
    const wider = inFlightMeter();
    const withMeter = defineReactor({ name: 'fan', inputs: [], steps: steps.map((s) => ({ ...s, run: () => wider.track(tick) })), returns: 's0' });
    await withMeter.run({}, { concurrency: 8 });
    expect(wider.max()).toBe(8);
  });

  it('total ≈ the longest branch: four independent steps are all in flight at once', async () => {
    const all = gate();
    let started = 0;
    const meter = inFlightMeter();
    const branch = (name: string): StepSpec => ({
      name,
      args: {},
      run: () =>
        meter.track(async () => {
          started += 1;
          if (started === 4) all.open();
          await all.promise;
          return name;
        }),
    });
    const parallel = defineReactor({ name: 'p', inputs: [], steps: ['a', 'b', 'c', 'd'].map(branch), returns: 'd' });
    expect(await parallel.run({})).toMatchObject({ status: 'completed' });
    expect(meter.max()).toBe(4);
  });

  it('async: false runs one step at a time, in declaration order', async () => {
    const order: string[] = [];
    const meter = inFlightMeter();
    const steps = ['a', 'b', 'c', 'd'].map((name): StepSpec => ({ name, args: {}, run: () => meter.track(async () => (await tick(), order.push(name))) }));
    const serial = defineReactor({ name: 'serial', inputs: [], steps, returns: 'd', options: { async: false } });
    await serial.run({});
    expect(meter.max()).toBe(1);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    const perRun = inFlightMeter();
    await defineReactor({ name: 'x', inputs: [], steps: steps.map((s) => ({ ...s, run: () => perRun.track(tick) })), returns: 'a' }).run({}, { async: false });
    expect(perRun.max()).toBe(1);
  });

  it('passes results along the graph and starts a step only after its dependencies', async () => {
    const sum = reactor('sum')
      .input('n', required<number>())
      .step({ name: 'a', args: { n: input('n') }, run: async ({ n }) => n + 1 })
      .step({ name: 'b', args: { n: input('n') }, run: ({ n }) => n * 10 })
      .step({ name: 'c', args: { a: result('a'), b: result('b') }, run: ({ a, b }) => a + b })
      .returns('c');
    expect(await sum.run({ n: 2 })).toMatchObject({ status: 'completed', value: 23 });
  });
});

describe('undo', () => {
  it('undoes completed steps in reverse completion order (not declaration order), once each', async () => {
    const log: string[] = [];
    const { steps, release, started } = gatedSteps(['a', 'b', 'c'], log);
    const boom: StepSpec = { name: 'boom', args: {}, waitFor: ['a', 'b', 'c'], run: () => Promise.reject(new Error('boom')) };
    const r = defineReactor({ name: 'undo-order', inputs: [], steps: [...steps, boom], returns: 'boom' });
    const running = r.run({});
    await until(() => started.size === 3);
    release('b');
    await tick();
    release('c');
    await tick();
    release('a');
    const outcome = await running;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'STEP_FAILED', step: 'boom' } });
    expect(log).toEqual(['undo a-value', 'undo c-value', 'undo b-value']);
    expect(outcome.steps.map((s) => s.status)).toEqual(['undone', 'undone', 'undone', 'failed']);
  });

  it('records undo failures on the run and goes on undoing the others', async () => {
    const log: string[] = [];
    const r = defineReactor({
      name: 'undo-fail',
      inputs: [],
      steps: [
        { name: 'a', args: {}, run: () => 1, undo: () => void log.push('undo a') },
        { name: 'b', args: { a: result('a') }, run: () => 2, undo: () => Promise.reject(new Error('cannot undo b')) },
        { name: 'c', args: { b: result('b') }, run: () => 3, undo: () => retry('not yet') },
        { name: 'd', args: { c: result('c') }, run: () => Promise.reject(new Error('d fails')) },
      ],
      returns: 'd',
      options: { clock: fakeClock() },
    });
    const outcome = await r.run({});
    expect(outcome.status).toBe('failed');
    expect(log).toEqual(['undo a']);
    expect(outcome.problems.map((p) => [p.phase, p.step, p.error.message])).toEqual([
      ['undo', 'c', 'undo of step c still asked for a retry after 5 attempts'],
      ['undo', 'b', 'undo of step b failed: cannot undo b'],
    ]);
  });
});

describe('retries and backoff', () => {
  it('retries a failing step up to maxRetries with exponential backoff (100, 200 ms) and jitter', async () => {
    const clock = fakeClock();
    let calls = 0;
    const flaky = reactor('flaky')
      .step({
        name: 'call',
        maxRetries: 3,
        run: () => {
          calls += 1;
          if (calls <= 2) throw new Error(`transient ${calls}`);
          return 'ok';
        },
      })
      .returns('call');
    const outcome = await flaky.run({}, { clock, random: () => 0 });
    expect(outcome).toMatchObject({ status: 'completed', value: 'ok', steps: [{ name: 'call', attempts: 3 }] });
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([100, 200]);
    calls = 0;
    const jittered = fakeClock();
    await flaky.run({}, { clock: jittered, random: () => 0.5 });
    expect(jittered.sleeps).toEqual([105, 210]);
  });

  it('gives up after maxRetries with RETRIES_EXCEEDED, and does not retry by default', async () => {
    const clock = fakeClock();
    let calls = 0;
    const always = (maxRetries?: number) =>
      defineReactor({
        name: 'always',
        inputs: [],
        steps: [{ name: 's', args: {}, ...(maxRetries === undefined ? {} : { maxRetries }), backoff: { initialMs: 1000, multiplier: 2, maxMs: 3000, jitter: 0 }, run: () => ((calls += 1), retry('busy')) }],
        returns: 's',
      });
    const outcome = await always(3).run({}, { clock });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'RETRIES_EXCEEDED', step: 's' } });
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([1000, 2000, 3000]);
    calls = 0;
    expect(await always().run({}, { clock })).toMatchObject({ status: 'failed', error: { code: 'RETRIES_EXCEEDED' } });
    expect(calls).toBe(1);
  });
});

describe('timeouts', () => {
  it('a step over its timeout is aborted and fails with STEP_TIMEOUT', async () => {
    const clock = fakeClock();
    let aborted: unknown;
    const slow = reactor('slow')
      .step({
        name: 'wait',
        timeoutMs: 30_000,
        run: async (_, ctx) => {
          await untilAborted(ctx.signal).catch((reason: unknown) => {
            aborted = reason;
          });
          return 'late';
        },
      })
      .returns('wait');
    const running = slow.run({}, { clock });
    await until(() => clock.pendingTimers() === 1);
    clock.advance(29_999);
    await tick();
    expect(aborted).toBeUndefined();
    clock.advance(1);
    const outcome = await running;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'STEP_TIMEOUT', step: 'wait', message: 'attempt of step wait timed out after 30000 ms' } });
    expect(aborted).toMatchObject({ code: 'STEP_TIMEOUT' });
  });

  it('a run over its timeout fails with RUN_TIMEOUT and undoes what completed', async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const r = reactor('run-timeout')
      .step({ name: 'first', run: () => 1, undo: () => void log.push('undo first') })
      .step({ name: 'stuck', args: { f: result('first') }, run: (_, ctx) => untilAborted(ctx.signal) })
      .returns('stuck');
    const running = r.run({}, { clock, timeoutMs: 60_000 });
    await until(() => clock.pendingTimers() === 1);
    await tick();
    clock.advance(60_000);
    expect(await running).toMatchObject({ status: 'failed', error: { code: 'RUN_TIMEOUT' } });
    expect(log).toEqual(['undo first']);
  });

  it('a value that arrives after its attempt timed out is undone, not lost', async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const late = gate<string>();
    const r = reactor('late')
      .step({ name: 'ignores-abort', timeoutMs: 10, run: () => late.promise, undo: (v) => void log.push(`undo ${v}`) })
      .returns('ignores-abort');
    const running = r.run({}, { clock, settleTimeoutMs: 1_000_000 });
    await until(() => clock.pendingTimers() === 1);
    clock.advance(10);
    await tick();
    late.open('side effect');
    expect(await running).toMatchObject({ status: 'failed', error: { code: 'STEP_TIMEOUT' } });
    expect(log).toEqual(['undo side effect']);
  });
});

describe('halt and resume', () => {
  it('halting keeps completed results; resuming runs only the rest', async () => {
    const runs: string[] = [];
    let approved = false;
    const approval = reactor('approval')
      .input('order', required<string>())
      .step({ name: 'reserve', args: { order: input('order') }, run: ({ order }) => (runs.push('reserve'), `reserved ${order}`) })
      .step({ name: 'approve', args: { r: result('reserve') }, run: ({ r }) => (runs.push('approve'), approved ? `${r}, approved` : halt('waiting for approval')) })
      .step({ name: 'ship', args: { a: result('approve') }, run: ({ a }) => (runs.push('ship'), `${a}, shipped`) })
      .returns('ship');
    const first = await approval.run({ order: 'o-1' });
    expect(first).toMatchObject({ status: 'halted', reason: 'waiting for approval' });
    if (first.status !== 'halted') return;
    expect(first.state.completed.map((c) => [c.step, c.value])).toEqual([['reserve', 'reserved o-1']]);
    approved = true;
    const second = await approval.resume(first.state);
    expect(second).toMatchObject({ status: 'completed', value: 'reserved o-1, approved, shipped', runId: first.runId, traceId: first.traceId });
    expect(runs).toEqual(['reserve', 'approve', 'approve', 'ship']);
  });

  it('a resumed run that fails undoes the steps completed before the halt too', async () => {
    const log: string[] = [];
    let resumed = false;
    const r = reactor('r')
      .step({ name: 'a', run: () => 'a', undo: () => void log.push('undo a') })
      .step({ name: 'b', args: { a: result('a') }, run: () => (resumed ? Promise.reject(new Error('no')) : halt()) })
      .returns('b');
    const first = await r.run({});
    if (first.status !== 'halted') throw new Error(first.status);
    resumed = true;
    expect(await r.resume(first.state)).toMatchObject({ status: 'failed' });
    expect(log).toEqual(['undo a']);
  });
});

describe('cancellation', () => {
  it('aborts running steps, starts nothing after the cancel and undoes what completed', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    let sawAbort: unknown;
    let reachedLast = false;
    const r = reactor('cancel')
      .step({ name: 'done', run: () => 'd', undo: () => void log.push('undo done') })
      .step({
        name: 'running',
        args: { d: result('done') },
        run: async (_, ctx) => {
          controller.abort('operator said stop');
          await untilAborted(ctx.signal).catch((reason: unknown) => {
            sawAbort = reason;
          });
          return 'finished anyway';
        },
        undo: (v) => void log.push(`undo ${v}`),
      })
      .step({ name: 'never', args: { r: result('running') }, run: () => ((reachedLast = true), 'x') })
      .returns('never');
    const outcome = await r.run({}, { signal: controller.signal });
    expect(outcome).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED', cause: 'operator said stop' } });
    expect(sawAbort).toMatchObject({ code: 'RUN_CANCELLED' });
    expect(reachedLast).toBe(false);
    expect(log).toEqual(['undo finished anyway', 'undo done']);
    expect(outcome.steps.map((s) => s.status)).toEqual(['undone', 'failed', 'not_started']);
  });

  it('a run cancelled before it starts runs no step', async () => {
    let ran = false;
    const r = reactor('pre').step({ name: 's', run: () => (ran = true) }).returns('s');
    expect(await r.run({}, { signal: AbortSignal.abort() })).toMatchObject({ status: 'cancelled' });
    expect(ran).toBe(false);
  });
});
