import { describe, expect, it } from 'vitest';
import { input, reactor, required, result, telemetryMiddleware, value, type SpanRecord } from '../../src/orchestrator/index.ts';
import { inFlightMeter } from './fake-clock.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a reactor as a step of another', () => {
  const log: string[] = [];
  const provision = reactor('provision')
    .input('name', required<string>())
    .step({ name: 'create_vm', args: { name: input('name') }, run: ({ name }) => `vm-${name}`, undo: (vm) => void log.push(`delete ${vm}`) })
    .step({ name: 'attach_disk', args: { vm: result('create_vm') }, run: ({ vm }) => `${vm}+disk`, undo: (d) => void log.push(`detach ${d}`) })
    .returns('attach_disk');

  it('returns the nested reactor result to the outer steps', async () => {
    const outer = reactor('outer')
      .compose({ name: 'machine', reactor: provision, args: { name: value('web') } })
      .step({ name: 'announce', args: { m: result('machine') }, run: ({ m }) => `ready: ${m}` })
      .returns('announce');
    expect(await outer.run({})).toMatchObject({ status: 'completed', value: 'ready: vm-web+disk' });
  });

  it('undoes the nested reactor steps (last first) when a later outer step fails', async () => {
    log.length = 0;
    const outer = reactor('outer')
      .compose({ name: 'machine', reactor: provision, args: { name: value('db') } })
      .step({ name: 'configure', args: { m: result('machine') }, run: () => Promise.reject(new Error('config failed')) })
      .returns('configure');
    expect(await outer.run({})).toMatchObject({ status: 'failed', error: { step: 'configure' } });
    expect(log).toEqual(['detach vm-db+disk', 'delete vm-db']);
  });

  it('a failing nested reactor undoes itself and fails the outer step with SUB_REACTOR_FAILED', async () => {
    log.length = 0;
    const broken = reactor('broken')
      .compose({ name: 'machine', reactor: provision, args: { name: value('x') } })
      .step({ name: 'explode', args: { m: result('machine') }, run: () => Promise.reject(new Error('inner boom')) })
      .returns('explode');
    const outer = reactor('outer')
      .step({ name: 'before', run: () => 1, undo: () => void log.push('undo before') })
      .compose({ name: 'nested', reactor: broken, args: {}, waitFor: ['before'] })
      .returns('nested');
    const outcome = await outer.run({});
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'SUB_REACTOR_FAILED', step: 'nested' } });
    expect(log).toEqual(['detach vm-x+disk', 'delete vm-x', 'undo before']);
  });

  it('the nested run shares the trace; its root span is a child of the composing step', async () => {
    const spans: SpanRecord[] = [];
    const outer = reactor('outer')
      .compose({ name: 'machine', reactor: provision, args: { name: value('t') } })
      .returns('machine');
    const outcome = await outer.run({}, { middleware: [telemetryMiddleware({ sink: (s) => void spans.push(s) })] });
    expect(new Set(spans.map((s) => s.trace_id))).toEqual(new Set([outcome.traceId]));
    const composing = spans.find((s) => s.name === 'reactor.step.machine');
    const innerRoot = spans.find((s) => s.name === 'reactor.provision.execution');
    expect(innerRoot?.parent_span_id).toBe(composing?.span_id);
  });
});

describe('map', () => {
  it('maps a collection with bounded concurrency, keeping element order', async () => {
    const meter = inFlightMeter();
    const squares = reactor('squares')
      .input('numbers', required<readonly number[]>())
      .map({
        name: 'square',
        over: input('numbers'),
        concurrency: 3,
        each: (n) =>
          meter.track(async () => {
            for (let i = 0; i < (n % 4) + 1; i += 1) await tick();
            return n * n;
          }),
      })
      .returns('square');
    const numbers = Array.from({ length: 20 }, (_, i) => i);
    expect(await squares.run({ numbers })).toMatchObject({ status: 'completed', value: numbers.map((n) => n * n) });
    expect(meter.max()).toBe(3);
  });

  it('on an element failure, starts no more elements and undoes the completed ones', async () => {
    const undone: number[] = [];
    const started: number[] = [];
    const failing = reactor('failing-map')
      .input('numbers', required<readonly number[]>())
      .map({
        name: 'each',
        over: input('numbers'),
        concurrency: 1,
        each: async (n) => {
          started.push(n);
          await tick();
          if (n === 3) throw new Error('three is bad');
          return n;
        },
        undoEach: (v) => void undone.push(v),
      })
      .returns('each');
    const outcome = await failing.run({ numbers: [1, 2, 3, 4, 5] });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'STEP_FAILED', step: 'each', message: 'step each failed: three is bad' } });
    expect(started).toEqual([1, 2, 3]);
    expect(undone).toEqual([2, 1]);
  });
});

describe('switch', () => {
  const route = reactor('route')
    .input('priority', required<string>())
    .switch({
      name: 'handle',
      on: input('priority'),
      args: { prefix: value('->') },
      branches: [
        { when: (p) => p === 'critical', run: (p, { prefix }) => `${prefix} page on-call (${p})` },
        { when: (p) => p === 'high', run: () => 'queue first' },
      ],
      default: () => 'queue',
    })
    .returns('handle');

  it('runs the first matching branch, else the default', async () => {
    expect(await route.run({ priority: 'critical' })).toMatchObject({ value: '-> page on-call (critical)' });
    expect(await route.run({ priority: 'high' })).toMatchObject({ value: 'queue first' });
    expect(await route.run({ priority: 'low' })).toMatchObject({ value: 'queue' });
  });

  it('with no match and no default, fails with NO_SWITCH_BRANCH', async () => {
    const strict = reactor('strict')
      .input('n', required<number>())
      .switch({ name: 'pick', on: input('n'), branches: [{ when: (n) => n > 0, run: () => 'positive' }] })
      .returns('pick');
    expect(await strict.run({ n: -1 })).toMatchObject({
      status: 'failed',
      error: { code: 'NO_SWITCH_BRANCH', message: 'No branch matched in switch pick and no default branch is set' },
    });
  });
});
