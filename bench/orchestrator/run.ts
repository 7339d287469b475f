/**
 * Orchestrator overhead per step, against calling the same async functions directly, measured in the same process
 * and interleaved (these machines are noisy, so only the ratio and the difference mean anything).
 * Run: npx tsx bench/orchestrator/run.ts [--runs 40]
 */
import { performance } from 'node:perf_hooks';
import { defineReactor, result, telemetryMiddleware, type Middleware, type Reactor, type StepSpec } from '../../src/orchestrator/index.ts';

/** The work every step does: one real async hop, so that both sides pay for a promise. */
const work = async (n: number): Promise<number> => n + 1;

const numberArg = (args: Readonly<Record<string, unknown>>, key: string): number => {
  const v = args[key];
  return typeof v === 'number' ? v : 0;
};

interface Scenario {
  readonly name: string;
  readonly steps: number;
  readonly concurrency: number;
  readonly reactor: Reactor<Readonly<Record<string, unknown>>, unknown>;
  readonly direct: () => Promise<unknown>;
}

function independent(count: number): Scenario {
  const steps = Array.from({ length: count }, (_, i): StepSpec => ({ name: `s${i}`, args: {}, run: () => work(i) }));
  return {
    name: `${count} independent steps, concurrency 5`,
    steps: count,
    concurrency: 5,
    reactor: defineReactor({ name: 'independent', inputs: [], steps, returns: 's0' }),
    direct: () => Promise.all(Array.from({ length: count }, (_, i) => work(i))),
  };
}

function fanOut(width: number): Scenario {
  const children = Array.from({ length: width }, (_, i): StepSpec => ({ name: `c${i}`, args: { root: result('root') }, run: (a) => work(numberArg(a, 'root') + i) }));
  const steps: StepSpec[] = [
    { name: 'root', args: {}, run: () => work(0) },
    ...children,
    { name: 'join', args: {}, waitFor: children.map((c) => c.name), run: () => work(width) },
  ];
  return {
    name: `fan-out 1 -> ${width} -> 1, concurrency 5`,
    steps: width + 2,
    concurrency: 5,
    reactor: defineReactor({ name: 'fan-out', inputs: [], steps, returns: 'join' }),
    direct: async () => {
      const root = await work(0);
      await Promise.all(Array.from({ length: width }, (_, i) => work(root + i)));
      return work(width);
    },
  };
}

function chain(length: number): Scenario {
  const steps = Array.from(
    { length },
    (_, i): StepSpec => (i === 0 ? { name: 's0', args: {}, run: () => work(0) } : { name: `s${i}`, args: { prev: result(`s${i - 1}`) }, run: (a) => work(numberArg(a, 'prev')) }),
  );
  return {
    name: `chain of ${length} steps`,
    steps: length,
    concurrency: 5,
    reactor: defineReactor({ name: 'chain', inputs: [], steps, returns: `s${length - 1}` }),
    direct: async () => {
      let v = 0;
      for (let i = 0; i < length; i += 1) v = await work(v);
      return v;
    },
  };
}

/** Many small runs: the per-run cost (planning is done once; inputs, ids, limiter and hooks are per run). */
function smallRuns(runs: number): Scenario {
  const steps: StepSpec[] = [
    { name: 'parse', args: {}, run: () => work(0) },
    { name: 'enrich', args: { p: result('parse') }, run: (a) => work(numberArg(a, 'p')) },
    { name: 'sample', args: { p: result('parse') }, run: (a) => work(numberArg(a, 'p')) },
    { name: 'batch', args: { e: result('enrich'), s: result('sample') }, run: (a) => work(numberArg(a, 'e') + numberArg(a, 's')) },
    { name: 'export', args: { b: result('batch') }, run: (a) => work(numberArg(a, 'b')) },
  ];
  const diamond = defineReactor({ name: 'diamond', inputs: [], steps, returns: 'export' });
  return {
    name: `${runs} runs of a 5-step diamond`,
    steps: runs * steps.length,
    concurrency: 5,
    reactor: {
      ...diamond,
      run: async (inputs, options) => {
        let last = await diamond.run(inputs, options);
        for (let i = 1; i < runs && last.status === 'completed'; i += 1) last = await diamond.run(inputs, options);
        return last;
      },
    },
    direct: async () => {
      for (let i = 0; i < runs; i += 1) {
        const p = await work(0);
        const [e, sampled] = await Promise.all([work(p), work(p)]);
        await work(await work(e + sampled));
      }
    },
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function time(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

interface Measured {
  readonly scenario: string;
  readonly middleware: string;
  readonly directMs: number;
  readonly reactorMs: number;
  readonly overheadUsPerStep: number;
  readonly ratio: number;
}

async function measure(scenario: Scenario, middleware: readonly Middleware[], label: string, runs: number): Promise<Measured> {
  const runReactor = async (): Promise<void> => {
    const outcome = await scenario.reactor.run({}, { concurrency: scenario.concurrency, middleware });
    if (outcome.status !== 'completed') throw new Error(`${scenario.name}: ${outcome.status}`);
  };
  for (let i = 0; i < 10; i += 1) {
    await scenario.direct();
    await runReactor();
  }
  const direct: number[] = [];
  const orchestrated: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    direct.push(await time(scenario.direct));
    orchestrated.push(await time(runReactor));
  }
  const directMs = median(direct);
  const reactorMs = median(orchestrated);
  return {
    scenario: scenario.name,
    middleware: label,
    directMs,
    reactorMs,
    overheadUsPerStep: ((reactorMs - directMs) * 1000) / scenario.steps,
    ratio: reactorMs / directMs,
  };
}

async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 40;
  const targetUs = 20;
  const scenarios = [independent(1000), fanOut(1000), chain(1000), smallRuns(200)];
  const noopSpans = telemetryMiddleware({ sink: () => undefined });
  const results: Measured[] = [];
  for (const scenario of scenarios) {
    results.push(await measure(scenario, [], 'none', runs));
    results.push(await measure(scenario, [noopSpans], 'telemetry', runs));
  }
  console.log(`node ${process.version}, ${runs} interleaved runs each, medians; target < ${targetUs} µs overhead per step`);
  console.table(
    results.map((r) => ({
      scenario: r.scenario,
      middleware: r.middleware,
      'direct ms': r.directMs.toFixed(2),
      'reactor ms': r.reactorMs.toFixed(2),
      'overhead µs/step': r.overheadUsPerStep.toFixed(2),
      ratio: `${r.ratio.toFixed(1)}x`,
      target: r.overheadUsPerStep < targetUs ? 'met' : 'MISSED',
    })),
  );
  if (results.some((r) => r.middleware === 'none' && r.overheadUsPerStep >= targetUs)) process.exitCode = 1;
}

await main();
