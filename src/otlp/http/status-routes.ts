import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { ByteBudget } from './byte-budget.ts';
import type { PipelineGate } from './pipeline-gate.ts';
import type { PipelineStats } from './pipeline-stats.ts';

/** Server-side failures in a row after which the pipeline reports itself unhealthy. */
export const unhealthyAfterServerErrors = 5;

export interface StatusContext {
  readonly pool: pg.Pool;
  readonly gate: PipelineGate;
  readonly budget: ByteBudget;
  readonly stats: PipelineStats;
  /** How long the database ping of the health check may take. */
  readonly pingTimeoutMs: number;
  readonly closing: () => boolean;
}

/** `SELECT 1` with a deadline: a stopped or hung database reads as an error within `timeoutMs`. */
async function pingDatabase(pool: pg.Pool, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the database did not answer within ${timeoutMs} ms`), timeoutMs);
  });
  const ping = pool.query('SELECT 1').then(
    () => undefined,
    (error: unknown) => `the database is unavailable: ${error instanceof Error ? error.message : String(error)}`,
  );
  try {
    return await Promise.race([ping, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function pipelineProblem(context: StatusContext): string | undefined {
  if (context.closing()) return 'the server is shutting down';
  const failures = context.stats.consecutiveServerErrors;
  if (failures >= unhealthyAfterServerErrors) return `the last ${failures} pipeline runs failed on the server side`;
  return undefined;
}

/** GET /pipeline/status (live counters since start) and GET /health (database + pipeline verdict). */
export function statusRoutes(app: FastifyInstance, context: StatusContext): void {
  const { gate, stats } = context;

  app.get('/pipeline/status', async (_request, reply) => {
    const finished = stats.finished;
    const problem = pipelineProblem(context);
    return reply.send({
      status: 'ok',
      data: {
        status: problem !== undefined ? 'unhealthy' : gate.saturated ? 'saturated' : 'operational',
        active_pipelines: gate.active,
        queued_pipelines: gate.queued,
        max_concurrent_pipelines: gate.maxConcurrent,
        max_queued_pipelines: gate.maxQueued,
        memory_budget_bytes: context.budget.capacity,
        body_bytes_in_progress: context.budget.used,
        waiting_for_memory: context.budget.waiting,
        total_pipelines_executed: finished,
        successful_pipelines: stats.succeeded,
        client_error_pipelines: stats.clientErrors,
        failed_pipelines: stats.serverErrors,
        timed_out_pipelines: stats.timedOut,
        rejected_for_capacity:
          stats.signals.traces.overloaded + stats.signals.metrics.overloaded + stats.signals.logs.overloaded,
        // Runs that stored their data, of all runs that finished (null until one has).
        success_rate: finished === 0 ? null : stats.succeeded / finished,
        processing_ms: stats.processingMs(),
        signals: stats.signalCounters(),
        responses: Object.fromEntries([...stats.responses].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n])),
        uptime_s: Math.floor(process.uptime()),
      },
      timestamp: new Date().toISOString(),
    });
  });

  app.get('/health', async (_request, reply) => {
    const database = await pingDatabase(context.pool, context.pingTimeoutMs);
    const pipeline = pipelineProblem(context);
    const reasons = [database, pipeline].filter((reason) => reason !== undefined);
    return reply.code(reasons.length === 0 ? 200 : 503).send({
      status: reasons.length === 0 ? 'ok' : 'error',
      health: reasons.length === 0 ? 'healthy' : 'unhealthy',
      checks: { database: database === undefined ? 'ok' : 'error', pipeline: pipeline === undefined ? 'ok' : 'error' },
      ...(reasons.length === 0 ? {} : { reasons }),
      active_pipelines: gate.active,
      max_concurrent_pipelines: gate.maxConcurrent,
      uptime_s: Math.floor(process.uptime()),
      timestamp: new Date().toISOString(),
    });
  });
}
