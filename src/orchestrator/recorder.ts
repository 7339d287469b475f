import { eq, sql } from 'drizzle-orm';
import { workflowRuns, workflowStepRuns } from '../../drizzle/schema.ts';
import type { JsonValue } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import type { ResourceRecord } from '../actions/context.ts';
import { runAction } from '../actions/run-action.ts';
import type { Executor } from '../db/pool.ts';
import type { Registry } from '../runtime/registry.ts';
import { OrchestratorError } from './errors.ts';
import { toJson, toJsonObject } from './json.ts';
import type { Middleware, MiddlewareHooks, RunInfo } from './types.ts';

type Input = Readonly<Record<string, JsonValue>>;

/** The writes the recorder makes, each through a resource action run by the system actor. */
interface Writes {
  startRun(input: Input): Promise<ResourceRecord>;
  finishRun(id: string, input: Input): Promise<ResourceRecord>;
  resumeRun(id: string): Promise<ResourceRecord>;
  keepAlive(id: string): Promise<ResourceRecord>;
  recordStep(input: Input): Promise<ResourceRecord>;
  updateStep(id: string, input: Input): Promise<ResourceRecord>;
  /** The steps already recorded for a run (no read action lists them by run, so Drizzle reads them). */
  stepsOf(runId: string): Promise<readonly { readonly id: string; readonly step: string; readonly started_at: string | null }[]>;
}

function actionOf(resource: ResourceModel, name: string): ActionModel {
  const action = resource.actions.find((a) => a.name === name);
  if (action === undefined) throw new Error(`resource ${resource.name} has no action ${name}: the Workflows domain resources are out of date`);
  return action;
}

function writes(db: Executor, registry: Registry): Writes {
  const runs = registry.resource('workflow_run');
  const steps = registry.resource('workflow_step_run');
  const ctx = { registry, db, actor: { type: 'system' } };
  const startRun = actionOf(runs, 'start_run');
  const finishRun = actionOf(runs, 'finish_run');
  const resumeRun = actionOf(runs, 'resume_run');
  const keepAlive = actionOf(runs, 'keep_alive');
  const recordStep = actionOf(steps, 'record_step');
  const updateStep = actionOf(steps, 'update_step');
  return {
    startRun: (input) => runAction(ctx, { resource: runs, action: startRun, input }),
    finishRun: (id, input) => runAction(ctx, { resource: runs, action: finishRun, input, id }),
    resumeRun: (id) => runAction(ctx, { resource: runs, action: resumeRun, input: {}, id }),
    keepAlive: (id) => runAction(ctx, { resource: runs, action: keepAlive, input: {}, id }),
    recordStep: (input) => runAction(ctx, { resource: steps, action: recordStep, input }),
    updateStep: (id, input) => runAction(ctx, { resource: steps, action: updateStep, input, id }),
    stepsOf: (runId) =>
      db
        .select({ id: workflowStepRuns.id, step: workflowStepRuns.step, started_at: workflowStepRuns.started_at })
        .from(workflowStepRuns)
        .where(eq(workflowStepRuns.workflow_run_id, runId)),
  };
}

/** Epoch milliseconds as ISO 8601 with microseconds (the resources' datetime format). */
export function isoMicros(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.round((ms - whole) * 1000));
  return new Date(whole).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

const idOf = (record: ResourceRecord): string => {
  const id = record['id'];
  if (typeof id !== 'string') throw new Error('a recorded workflow row came back without an id');
  return id;
};

const errorJson = (error: Error): Input => toJsonObject(error);

const isSnapshot = (value: unknown): value is { readonly workflow_run_id: string } =>
  typeof value === 'object' && value !== null && 'workflow_run_id' in value && typeof value.workflow_run_id === 'string';

/** A step ended by the run's own stop (cancel, timeout, a sibling's failure) rather than by its own failure. */
const stoppedByRun = (error: Error): boolean => error instanceof OrchestratorError && (error.code === 'RUN_STOPPED' || error.code === 'RUN_CANCELLED');

/** How often a recording process says its runs are alive, and how long a silent run counts as cut off. */
export const runHeartbeatMs = 10_000;
export const runStaleAfterMs = 6 * runHeartbeatMs;

function recordingHooks(run: RunInfo, db: Writes, heartbeatMs: number): MiddlewareHooks {
  let runRow: string | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  // While the run runs, its row says so every heartbeatMs; if this process dies, the row falls silent.
  const beat = (id: string): void => {
    heartbeat = setInterval(() => void db.keepAlive(id).catch(() => undefined), heartbeatMs);
    heartbeat.unref();
  };
  const finish = async (input: Input): Promise<void> => {
    clearInterval(heartbeat);
    await db.finishRun(requireRun(), input);
  };
  const steps = new Map<string, { readonly id: string; readonly startedMs: number }>();
  const requireRun = (): string => {
    if (runRow === undefined) throw new Error(`workflow_run of run ${run.runId} was never written`);
    return runRow;
  };
  const updateStep = async (step: string, input: Input): Promise<void> => {
    const row = steps.get(step);
    // No row: the step's start could not be recorded, so the step never ran (and the run failed saying why).
    if (row !== undefined) await db.updateStep(row.id, input);
  };
  const ended = (step: string, endedAt: number): Input => {
    const startedMs = steps.get(step)?.startedMs ?? endedAt;
    return { finished_at: isoMicros(endedAt), duration_ms: Math.max(0, endedAt - startedMs) };
  };
  return {
    runStart: async () => {
      if (isSnapshot(run.restored)) {
        runRow = run.restored.workflow_run_id;
        await db.resumeRun(runRow);
        beat(runRow);
        for (const row of await db.stepsOf(runRow)) steps.set(row.step, { id: row.id, startedMs: row.started_at === null ? run.startedAt : Date.parse(row.started_at) });
        return;
      }
      runRow = idOf(await db.startRun({ reactor: run.reactor, inputs: toJsonObject(run.inputs), trace_id: run.traceId }));
      beat(runRow);
    },
    stepStart: async (e) => {
      const row = steps.get(e.step);
      if (row !== undefined) {
        await db.updateStep(row.id, { status: 'running', attempts: e.attempt, finished_at: null });
        return;
      }
      const input = { workflow_run_id: requireRun(), step: e.step, status: 'running', attempts: e.attempt, started_at: isoMicros(e.at) };
      steps.set(e.step, { id: idOf(await db.recordStep(input)), startedMs: e.at });
    },
    stepComplete: (e) => updateStep(e.step, { status: 'completed', attempts: e.attempt, ...ended(e.step, e.endedAt), result: toJsonObject(e.value) }),
    stepError: (e) => updateStep(e.step, { status: stoppedByRun(e.error) ? 'cancelled' : 'failed', attempts: e.attempt, ...ended(e.step, e.endedAt), error: errorJson(e.error) }),
    stepRetry: (e) => updateStep(e.step, { status: 'retrying', attempts: e.attempt }),
    stepHalt: (e) => updateStep(e.step, { status: 'halted', attempts: e.attempt, ...ended(e.step, e.endedAt), result: { halt_reason: toJson(e.reason) } }),
    stepCompensate: async (e) => {
      if (e.outcome === 'continue') await updateStep(e.step, { status: 'compensated', ...ended(e.step, e.endedAt), result: toJsonObject(e.value) });
      else if (e.failure !== undefined) await updateStep(e.step, { error: { ...errorJson(e.error), compensation: toJson(e.failure) } });
    },
    stepUndo: (e) => updateStep(e.step, e.outcome === 'undone' ? { status: 'undone' } : { error: { undo: toJson(e.errors) } }),
    runComplete: (e) => finish({ status: 'completed', result: toJsonObject(e.value) }),
    runError: (e) => finish({ status: 'failed', error: { ...errorJson(e.error), problems: toJson(e.problems) } }),
    runCancel: (e) => finish({ status: 'cancelled', error: { ...errorJson(e.error), problems: toJson(e.problems) } }),
    runHalt: (e) => finish({ status: 'halted', result: { halt_reason: toJson(e.reason) } }),
    snapshot: () => (runRow === undefined ? undefined : { workflow_run_id: runRow }),
  };
}

/**
 * Records runs that ask for it (`record: true`) in the Workflows domain: the `workflow_run` row is written before
 * the first step starts and each step's `workflow_step_run` row before that step's side effects, through the
 * resources' actions as the system actor. If a start cannot be written the run (or step) does not go ahead: the run
 * fails with MIDDLEWARE_FAILED and undoes what completed. Later write failures are on the run's `problems`; a run
 * row whose process died falls silent and becomes `interrupted` (`markInterruptedRuns`, which servers run periodically).
 * @example reactor.run(inputs, { record: true, middleware: [workflowRecorder({ db, registry })] })
 */
export function workflowRecorder(options: { readonly db: Executor; readonly registry: Registry; readonly name?: string; readonly heartbeatMs?: number }): Middleware {
  const db = writes(options.db, options.registry);
  const heartbeatMs = options.heartbeatMs ?? runHeartbeatMs;
  return { name: options.name ?? 'workflow-recorder', attach: (run) => (run.record ? recordingHooks(run, db, heartbeatMs) : {}) };
}

/**
 * A run still `running` whose row has been silent for `staleAfterMs` (no heartbeat: the process that ran it died) was
 * cut off. One statement marks those runs `interrupted` (with finished_at) and their unfinished steps `cancelled`;
 * returns how many runs. Runs of live processes, this one's or others', keep their heartbeat and are left alone.
 */
export async function markInterruptedRuns(db: Executor, options: { readonly staleAfterMs?: number } = {}): Promise<number> {
  const silentSince = sql`now() - ${options.staleAfterMs ?? runStaleAfterMs}::double precision * interval '1 millisecond'`;
  const result = await db.execute<{ count: number }>(sql`
    WITH interrupted AS (
      UPDATE ${workflowRuns} SET status = 'interrupted', finished_at = now(), updated_at = now()
      WHERE status = 'running' AND (alive_at IS NULL OR alive_at < ${silentSince})
      RETURNING id
    ), cut_steps AS (
      UPDATE ${workflowStepRuns} SET status = 'cancelled', finished_at = now(), updated_at = now()
      WHERE workflow_run_id IN (SELECT id FROM interrupted) AND status IN ('pending', 'running', 'retrying')
    )
    SELECT count(*)::int AS count FROM interrupted`);
  return result.rows[0]?.count ?? 0;
}
