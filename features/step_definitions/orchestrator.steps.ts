import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { After, Before, Given, Then, When } from '@cucumber/cucumber';
import { eq } from 'drizzle-orm';
import type pg from 'pg';
import pino from 'pino';
import { workflowRuns, workflowStepRuns } from '../../drizzle/schema.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createDatabase, createPool, type Database } from '../../src/db/pool.ts';
import {
  defineReactor,
  input,
  markInterruptedRuns,
  required,
  result,
  structuredLogMiddleware,
  telemetryMiddleware,
  workflowRecorder,
  type Middleware,
  type Reactor,
  type RunOptions,
  type RunResult,
  type SpanRecord,
  type StepContext,
  type StepSpec,
} from '../../src/orchestrator/index.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';
import { fakeClock, inFlightMeter, untilAborted, type FakeClock } from '../../test/orchestrator/fake-clock.ts';
import type { ProjectWorld } from '../support/world.ts';

type AnyReactor = Reactor<Readonly<Record<string, unknown>>, unknown>;

/** What a scenario declares about its reactor, then what the run did. Reset before every scenario. */
interface ScenarioState {
  name: string;
  steps: string[];
  chain: boolean;
  requiredInput: string | undefined;
  failures: Map<string, { message: string; times: number }>;
  compensated: Set<string>;
  maxRetries: Map<string, number>;
  slow: Map<string, { takesMs: number; timeoutMs: number }>;
  hanging: Set<string>;
  calls: Map<string, number>;
  events: string[];
  started: number;
  finishedBeforeAllStarted: boolean;
  meter: ReturnType<typeof inFlightMeter>;
  clock: FakeClock;
  outcomes: RunResult<unknown>[];
  spans: SpanRecord[];
  logs: Record<string, unknown>[];
  database: { pool: pg.Pool; db: Database } | undefined;
  orphan: { controller: AbortController; done: Promise<RunResult<unknown>> } | undefined;
}

const fresh = (): ScenarioState => ({
  name: '',
  steps: [],
  chain: false,
  requiredInput: undefined,
  failures: new Map(),
  compensated: new Set(),
  maxRetries: new Map(),
  slow: new Map(),
  hanging: new Set(),
  calls: new Map(),
  events: [],
  started: 0,
  finishedBeforeAllStarted: false,
  meter: inFlightMeter(),
  clock: fakeClock(),
  outcomes: [],
  spans: [],
  logs: [],
  database: undefined,
  orphan: undefined,
});

let state = fresh();

Before(() => {
  state = fresh();
});

After(async () => {
  if (state.orphan !== undefined) {
    state.orphan.controller.abort('scenario over');
    await state.orphan.done;
  }
  await state.database?.pool.end();
});

const quoted = (text: string): string[] => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Polls with a deadline (not a number of turns: steps that write to PostgreSQL take as long as the machine needs). */
const until = async (condition: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'the condition did not become true');
};

/** What every step does: note the call, then wait, fail or finish as the scenario said. */
async function stepWork(name: string, ctx: StepContext): Promise<string> {
  const call = (state.calls.get(name) ?? 0) + 1;
  state.calls.set(name, call);
  state.events.push(`run ${name}`);
  state.started += 1;
  return state.meter.track(async () => {
    await turn();
    const slow = state.slow.get(name);
    if (slow !== undefined || state.hanging.has(name)) {
      await new Promise<void>((resolve, reject) => {
        const cancel = slow === undefined ? () => undefined : state.clock.setTimer(slow.takesMs, resolve);
        untilAborted(ctx.signal).catch((reason: unknown) => {
          cancel();
          reject(reason);
        });
      });
    }
    const failure = state.failures.get(name);
    if (failure !== undefined && call <= failure.times) throw new Error(failure.message);
    if (state.started < state.steps.length) state.finishedBeforeAllStarted = true;
    return `${name} done`;
  });
}

function buildReactor(): AnyReactor {
  const steps = state.steps.map((name, index): StepSpec => {
    const previous = state.steps[index - 1];
    const slow = state.slow.get(name);
    return {
      name,
      args: {
        ...(state.chain && previous !== undefined ? { previous: result(previous) } : {}),
        ...(state.requiredInput === undefined ? {} : { config: input(state.requiredInput) }),
      },
      maxRetries: state.maxRetries.get(name) ?? 0,
      ...(slow === undefined ? {} : { timeoutMs: slow.timeoutMs }),
      run: (_args, ctx) => stepWork(name, ctx),
      undo: () => void state.events.push(`undo ${name}`),
      ...(state.compensated.has(name) ? { compensate: () => void state.events.push(`compensate ${name}`) } : {}),
    };
  });
  const inputs = state.requiredInput === undefined ? [] : [{ name: state.requiredInput, ...required() }];
  return defineReactor({ name: state.name, inputs, steps, returns: state.steps.at(-1) ?? '' });
}

const runOnce = async (options: RunOptions = {}): Promise<RunResult<unknown>> => {
  const outcome = await buildReactor().run(state.requiredInput === undefined ? {} : { [state.requiredInput]: { env: 'test' } }, { clock: state.clock, random: () => 0, ...options });
  state.outcomes.push(outcome);
  return outcome;
};

const lastOutcome = (): RunResult<unknown> => {
  const outcome = state.outcomes.at(-1);
  assert.ok(outcome !== undefined, 'the reactor has not run');
  return outcome;
};

Given(/^a reactor "([^"]+)" whose steps (.+) (do not depend on each other|run in a chain)$/, (name: string, list: string, shape: string) => {
  state.name = name;
  state.steps = quoted(list);
  state.chain = shape === 'run in a chain';
});

Given('a reactor {string} that requires the input {string}', (name: string, inputName: string) => {
  state.name = name;
  state.steps = ['validate_config', 'apply'];
  state.chain = true;
  state.requiredInput = inputName;
});

Given('step {string} fails with {string}', (step: string, message: string) => {
  state.failures.set(step, { message, times: Number.POSITIVE_INFINITY });
});

Given('step {string} has a compensation that releases its claim', (step: string) => {
  state.compensated.add(step);
});

Given('step {string} has max retries {int} and fails {int} times', (step: string, retries: number, times: number) => {
  state.maxRetries.set(step, retries);
  state.failures.set(step, { message: 'work item busy', times });
});

Given('step {string} takes {int} seconds and has a timeout of {int} seconds', (step: string, takes: number, timeout: number) => {
  state.slow.set(step, { takesMs: takes * 1000, timeoutMs: timeout * 1000 });
});

Given('step {string} never finishes', (step: string) => {
  state.hanging.add(step);
});

When('it runs', async () => {
  await runOnce();
});

When('it runs with concurrency {int}', async (concurrency: number) => {
  await runOnce({ concurrency });
});

When('it runs with async false', async () => {
  await runOnce({ async: false });
});

When('{int} runs of it start at once', async (count: number) => {
  const reactor = buildReactor();
  state.outcomes.push(...(await Promise.all(Array.from({ length: count }, () => reactor.run({})))));
});

When('it runs with the telemetry and structured-log middleware', async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) state.logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const middleware: Middleware[] = [telemetryMiddleware({ sink: (span) => void state.spans.push(span) }), structuredLogMiddleware({ logger })];
  await runOnce({ middleware });
  logger.flush();
});

When('it runs without {string}', async (_inputName: string) => {
  state.outcomes.push(await buildReactor().run({}));
});

When('it runs and {int} seconds pass', async (seconds: number) => {
  const running = runOnce();
  await until(() => state.clock.pendingTimers() >= 2);
  state.clock.advance(seconds * 1000);
  await running;
});

Then('the run completes', () => {
  const outcome = lastOutcome();
  assert.equal(outcome.status, 'completed', outcome.status === 'failed' ? outcome.error.message : outcome.status);
});

Then(/^(\d+) steps? (?:was|were) in flight at the same time$/, (count: string) => {
  assert.equal(state.meter.max(), Number(count));
});

Then('every step started before any step finished', () => {
  assert.equal(state.finishedBeforeAllStarted, false);
});

Then('all {int} runs complete with {int} different trace ids', (runs: number, traces: number) => {
  assert.deepEqual(
    state.outcomes.map((o) => o.status),
    Array.from({ length: runs }, () => 'completed'),
  );
  assert.equal(new Set(state.outcomes.map((o) => o.traceId)).size, traces);
});

Then('the run fails at step {string} saying {string}', (step: string, message: string) => {
  const outcome = lastOutcome();
  assert.ok(outcome.status === 'failed', outcome.status);
  assert.equal(outcome.error.step, step);
  assert.match(outcome.error.message, new RegExp(message));
});

Then('the run fails at step {string} with the error code {string}', (step: string, code: string) => {
  const outcome = lastOutcome();
  assert.ok(outcome.status === 'failed', outcome.status);
  assert.equal(outcome.error.step, step);
  assert.equal(outcome.error.code, code);
});

Then('the run fails saying {string}', (message: string) => {
  const outcome = lastOutcome();
  assert.ok(outcome.status === 'failed', outcome.status);
  assert.equal(outcome.error.message, message);
});

Then('the compensation of {string} ran before any undo', (step: string) => {
  const compensation = state.events.indexOf(`compensate ${step}`);
  assert.ok(compensation >= 0, `no compensation of ${step}: ${state.events.join(', ')}`);
  const firstUndo = state.events.findIndex((e) => e.startsWith('undo '));
  assert.ok(firstUndo === -1 || compensation < firstUndo, state.events.join(', '));
});

Then(/^the steps were undone in the order (.+)$/, (list: string) => {
  const undone = state.events.filter((e) => e.startsWith('undo ')).map((e) => e.slice('undo '.length));
  assert.deepEqual(undone, quoted(list));
});

Then(/^the steps (.+) never ran$/, (list: string) => {
  for (const step of quoted(list)) assert.equal(state.calls.get(step) ?? 0, 0, `${step} ran`);
});

Then('no step ran', () => {
  assert.deepEqual(state.events, []);
});

Then('step {string} ran {int} times', (step: string, times: number) => {
  assert.equal(state.calls.get(step), times);
});

Then('the waits before the retries were {int} and {int} ms', (first: number, second: number) => {
  assert.deepEqual(state.clock.sleeps, [first, second]);
});

Then('a root span {string} and one child span per step were sent', (rootName: string) => {
  const roots = state.spans.filter((s) => s.name === rootName);
  assert.equal(roots.length, 1);
  const root = roots[0];
  for (const step of state.steps) {
    const children = state.spans.filter((s) => s.name === `reactor.step.${step}`);
    assert.equal(children.length, 1, `spans of ${step}`);
    assert.equal(children[0]?.parent_span_id, root?.span_id);
    assert.equal(children[0]?.attributes['step.outcome'], 'completed');
  }
});

Then("every span carries the run's trace id", () => {
  const traceId = lastOutcome().traceId;
  assert.match(traceId, /^[0-9a-f]{32}$/);
  assert.ok(state.spans.length > 0);
  for (const span of state.spans) assert.equal(span.trace_id, traceId);
});

Then('the log says {string} and {string} for every step', (started: string, completed: string) => {
  const messages = state.logs.map((l) => l['msg']);
  for (const step of state.steps) {
    assert.ok(messages.includes(started.replace('<step>', step)), `${step} started`);
    assert.ok(messages.includes(completed.replace('<step>', step)), `${step} completed`);
  }
  assert.ok(state.logs.every((l) => l['trace_id'] === lastOutcome().traceId));
});

Given('a migrated database for the Workflows domain', async function (this: ProjectWorld) {
  const pool = createPool({ connectionString: await this.freshDatabase(), max: 4, onError: () => undefined });
  state.database = { pool, db: createDatabase(pool) };
  await migrateDatabase(pool);
});

const database = (): Database => {
  assert.ok(state.database !== undefined, 'no database: start with "Given a migrated database for the Workflows domain"');
  return state.database.db;
};

When('it runs recorded and the process dies while {string} runs', async (step: string) => {
  // A process that dies sends no more heartbeats: this recorder's would come only after an hour.
  const recorder = workflowRecorder({ db: database(), registry: await loadRegistry(), heartbeatMs: 3_600_000 });
  const controller = new AbortController();
  const done = buildReactor().run({}, { record: true, middleware: [recorder], signal: controller.signal });
  state.orphan = { controller, done };
  await until(() => (state.calls.get(step) ?? 0) > 0);
});

When('the server starts again and marks interrupted runs', async () => {
  // Runs silent for longer than a heartbeat allows (shortened here from a minute to 200 ms) were cut off.
  const deadline = Date.now() + 20_000;
  let marked = 0;
  while (marked === 0 && Date.now() < deadline) {
    marked = await markInterruptedRuns(database(), { staleAfterMs: 200 });
    if (marked === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(marked, 1);
});

Then('the workflow run {string} is {string} with the step {string} {string}', async (reactorName: string, status: string, step: string, stepStatus: string) => {
  const runs = await database().select().from(workflowRuns).where(eq(workflowRuns.reactor, reactorName));
  assert.equal(runs.length, 1);
  const run = runs[0];
  assert.equal(run?.status, status);
  if (status === 'interrupted') assert.ok(run?.finished_at !== null);
  const steps = await database().select().from(workflowStepRuns).where(eq(workflowStepRuns.workflow_run_id, run?.id ?? ''));
  assert.equal(steps.find((s) => s.step === step)?.status, stepStatus);
});
