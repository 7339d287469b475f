import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowRuns, workflowStepRuns } from '../../drizzle/schema.ts';
import {
  halt,
  input,
  markInterruptedRuns,
  reactor,
  required,
  result,
  workflowRecorder,
  type Middleware,
  type RunOptions,
} from '../../src/orchestrator/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { eventually, seedRegistry } from '../support/runtime.ts';
import { fakeClock, untilAborted } from './fake-clock.ts';

let database: TestDatabase;
let recorder: Middleware;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  recorder = workflowRecorder({ db: database.db, registry: await seedRegistry() });
});
afterAll(async () => {
  await database.drop();
});

const recorded = (): RunOptions => ({ record: true, middleware: [recorder] });
const runRow = async (traceId: string) => {
  const rows = await database.db.select().from(workflowRuns).where(eq(workflowRuns.trace_id, traceId));
  expect(rows).toHaveLength(1);
  const [row] = rows;
  if (row === undefined) throw new Error('no workflow_run row');
  return row;
};
const stepRows = (runId: string) =>
  database.db.select().from(workflowStepRuns).where(eq(workflowStepRuns.workflow_run_id, runId)).orderBy(asc(workflowStepRuns.inserted_at));

describe('recording runs in the Workflows domain', () => {
  it('writes the run and the step row before the step side effect, then the outcome', async () => {
    const observed: { run: unknown; steps: unknown }[] = [];
    const r = reactor('record_me')
      .input('target', required<string>())
      .step({
        name: 'side_effect',
        args: { target: input('target') },
        run: async ({ target }, ctx) => {
          const [run] = await database.db.select().from(workflowRuns).where(eq(workflowRuns.trace_id, ctx.traceId));
          observed.push({ run, steps: run === undefined ? [] : await stepRows(run.id) });
          return { deployed: target };
        },
      })
      .returns('side_effect');
    const outcome = await r.run({ target: 'prod' }, recorded());
    expect(outcome.status).toBe('completed');
    expect(observed[0]).toMatchObject({
      run: { reactor: 'record_me', status: 'running', inputs: { target: 'prod' }, trace_id: outcome.traceId, finished_at: null },
      steps: [{ step: 'side_effect', status: 'running', attempts: 1, finished_at: null }],
    });
    const run = await runRow(outcome.traceId);
    expect(run).toMatchObject({ status: 'completed', result: { deployed: 'prod' }, error: null });
    expect(run.finished_at).not.toBeNull();
    const [step] = await stepRows(run.id);
    expect(step).toMatchObject({ status: 'completed', attempts: 1, result: { deployed: 'prod' } });
    expect(step?.duration_ms).toBeGreaterThanOrEqual(0);
    expect(step?.finished_at).not.toBeNull();
  });

  it('records attempts, failures and undone steps of a failed run', async () => {
    let calls = 0;
    const r = reactor('fails_twice')
      .step({ name: 'reserve', run: () => 'r1', undo: () => undefined })
      .step({
        name: 'charge',
        args: { r: result('reserve') },
        maxRetries: 1,
        run: () => {
          calls += 1;
          throw new Error(`card declined ${calls}`);
        },
      })
      .returns('charge');
    const outcome = await r.run({}, { ...recorded(), clock: fakeClock() });
    expect(outcome.status).toBe('failed');
    const run = await runRow(outcome.traceId);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'STEP_FAILED', message: 'step charge failed: card declined 2', problems: [] } });
    const steps = await stepRows(run.id);
    expect(steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      ['reserve', 'undone', 1],
      ['charge', 'failed', 2],
    ]);
    expect(steps[1]?.error).toMatchObject({ message: 'card declined 2' });
  });

  it('never writes secrets from the inputs', async () => {
    const r = reactor('export_to_n8n')
      .input('n8n_config', required<{ api_url: string; api_key: string }>())
      .step({ name: 'export', args: { config: input('n8n_config') }, run: ({ config }) => ({ exported_to: config.api_url }) })
      .returns('export');
    const outcome = await r.run({ n8n_config: { api_url: 'http://n8n:5678', api_key: 'sekret-key' } }, recorded());
    expect((await runRow(outcome.traceId)).inputs).toEqual({ n8n_config: { api_url: 'http://n8n:5678', api_key: '<redacted>' } });
  });

  it('records nothing for runs that do not ask for it', async () => {
    const r = reactor('quiet').step({ name: 's', run: () => 1 }).returns('s');
    const outcome = await r.run({}, { middleware: [recorder] });
    expect(await database.db.select().from(workflowRuns).where(eq(workflowRuns.trace_id, outcome.traceId))).toEqual([]);
  });

  it('a halted run is `halted`, and resuming it continues the same row to `completed`', async () => {
    let approved = false;
    const r = reactor('approval')
      .step({ name: 'prepare', run: () => 'prepared' })
      .step({ name: 'approve', args: { p: result('prepare') }, run: ({ p }) => (approved ? `${p} and approved` : halt('waiting')) })
      .returns('approve');
    const first = await r.run({}, recorded());
    if (first.status !== 'halted') throw new Error(first.status);
    const halted = await runRow(first.traceId);
    expect(halted).toMatchObject({ status: 'halted', result: { halt_reason: 'waiting' } });
    expect((await stepRows(halted.id)).map((s) => [s.step, s.status])).toEqual([
      ['prepare', 'completed'],
      ['approve', 'halted'],
    ]);
    approved = true;
    const second = await r.resume(first.state, recorded());
    expect(second).toMatchObject({ status: 'completed', problems: [] });
    const done = await runRow(first.traceId);
    expect(done).toMatchObject({ id: halted.id, status: 'completed', result: { value: 'prepared and approved' } });
    expect((await stepRows(halted.id)).map((s) => [s.step, s.status, s.attempts])).toEqual([
      ['prepare', 'completed', 1],
      ['approve', 'completed', 1],
    ]);
  });

  it('a cancelled run is `cancelled`, with the step it cut off', async () => {
    const controller = new AbortController();
    const r = reactor('cancel_me')
      .step({
        name: 'long',
        run: (_, ctx) => {
          controller.abort('operator');
          return untilAborted(ctx.signal);
        },
      })
      .returns('long');
    const outcome = await r.run({}, { ...recorded(), signal: controller.signal });
    expect(outcome.status).toBe('cancelled');
    const run = await runRow(outcome.traceId);
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED' } });
    expect((await stepRows(run.id)).map((s) => s.status)).toEqual(['cancelled']);
  });

  it('when the run row cannot be written, no step runs and the run fails saying why', async () => {
    let ran = false;
    const r = reactor('x'.repeat(300))
      .step({ name: 's', run: () => (ran = true) })
      .returns('s');
    const outcome = await r.run({}, recorded());
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'MIDDLEWARE_FAILED', middleware: 'workflow-recorder' } });
    expect(ran).toBe(false);
  });

  it('a run whose process died falls silent and is marked interrupted; a live run of another process keeps beating', async () => {
    const registry = await seedRegistry();
    // Two "processes": one alive (heartbeat every 50 ms), one that dies mid-run (its heartbeat never comes).
    const living = workflowRecorder({ db: database.db, registry, heartbeatMs: 50 });
    const dying = workflowRecorder({ db: database.db, registry, heartbeatMs: 3_600_000 });
    const stops = { live: new AbortController(), dead: new AbortController() };
    const started = new Set<string>();
    const build = (name: string) =>
      reactor(name)
        .step({ name: 'done_before', run: () => 'ok' })
        .step({ name: 'in_progress', args: { d: result('done_before') }, run: (_, ctx) => (started.add(name), untilAborted(ctx.signal)) })
        .returns('in_progress');
    // The live run starts first, so it is the older of the two: only its heartbeat keeps it from being taken as cut off.
    const live = build('keeps_beating').run({}, { record: true, middleware: [living], signal: stops.live.signal });
    await eventually(async () => started.has('keeps_beating'), { timeoutMs: 10_000, intervalMs: 5 });
    const orphan = build('crashes').run({}, { record: true, middleware: [dying], signal: stops.dead.signal });
    await eventually(async () => started.has('crashes'), { timeoutMs: 10_000, intervalMs: 5 });
    const [row] = await database.db.select().from(workflowRuns).where(eq(workflowRuns.reactor, 'crashes'));
    expect(row?.status).toBe('running');

    // Sweeping for runs silent 300 ms: none until the dead one has been silent that long, then exactly it.
    await eventually(async () => (await markInterruptedRuns(database.db, { staleAfterMs: 300 })) === 1, { intervalMs: 50 });
    const after = await runRow(row?.trace_id ?? '');
    expect(after.status).toBe('interrupted');
    expect(after.finished_at).not.toBeNull();
    expect((await stepRows(after.id)).map((s) => [s.step, s.status])).toEqual([
      ['done_before', 'completed'],
      ['in_progress', 'cancelled'],
    ]);
    const [liveRow] = await database.db.select().from(workflowRuns).where(eq(workflowRuns.reactor, 'keeps_beating'));
    expect(liveRow?.status).toBe('running');
    expect(await markInterruptedRuns(database.db, { staleAfterMs: 300 })).toBe(0);

    // The live run ends normally; the orphan's own process would be gone, here it is stopped and its late finish is
    // refused, not lost.
    stops.live.abort();
    expect((await live).status).toBe('cancelled');
    expect((await runRow(liveRow?.trace_id ?? '')).status).toBe('cancelled');
    stops.dead.abort();
    const late = await orphan;
    expect(late.status).toBe('cancelled');
    expect(late.problems.map((p) => p.phase)).toContain('middleware');
    expect((await runRow(after.trace_id ?? '')).status).toBe('interrupted');
  });

});
