import { OrchestratorError } from './errors.ts';
import { toJson } from './json.ts';
import type { Middleware, MiddlewareHooks, RunInfo } from './types.ts';

/** The part of a pino logger this middleware uses (pino's `logger.info(object, message)` form). */
export interface StructuredLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const describe = (error: Error): { code: string; message: string } => ({
  code: error instanceof OrchestratorError ? error.code : error.name,
  message: error.message,
});

function runHooks(run: RunInfo, logger: StructuredLogger, verbose: boolean): MiddlewareHooks {
  const base = { reactor: run.reactor, run_id: run.runId, trace_id: run.traceId };
  return {
    runStart: () =>
      logger.info(
        { ...base, event: 'reactor.run_started', steps: run.steps.length, resumed: run.resumed, ...(verbose ? { context: toJson(run.context), inputs: Object.keys(run.inputs) } : {}) },
        `Reactor ${run.reactor} started execution`,
      ),
    stepStart: (e) => logger.info({ ...base, event: 'reactor.step_started', step: e.step, attempt: e.attempt }, `Step \`${e.step}\` started`),
    stepComplete: (e) =>
      logger.info(
        { ...base, event: 'reactor.step_completed', step: e.step, attempt: e.attempt, duration_ms: e.endedAt - e.startedAt },
        `Step \`${e.step}\` completed successfully`,
      ),
    stepError: (e) =>
      logger.error(
        { ...base, event: 'reactor.step_errored', step: e.step, attempt: e.attempt, duration_ms: e.endedAt - e.startedAt, error: describe(e.error) },
        `Step \`${e.step}\` encountered an error`,
      ),
    stepRetry: (e) =>
      logger.warn({ ...base, event: 'reactor.step_retrying', step: e.step, attempt: e.attempt, delay_ms: e.delayMs }, `Step \`${e.step}\` will be retried`),
    stepHalt: (e) => logger.warn({ ...base, event: 'reactor.step_halted', step: e.step, attempt: e.attempt, reason: String(e.reason) }, `Step \`${e.step}\` halted the run`),
    stepCompensate: (e) =>
      (e.failure === undefined ? logger.warn.bind(logger) : logger.error.bind(logger))(
        { ...base, event: 'reactor.step_compensated', step: e.step, outcome: e.outcome, error: describe(e.error), ...(e.failure === undefined ? {} : { failure: describe(e.failure) }) },
        `Step \`${e.step}\` compensated: ${e.outcome}`,
      ),
    stepUndo: (e) =>
      (e.outcome === 'undone' ? logger.info.bind(logger) : logger.error.bind(logger))(
        { ...base, event: 'reactor.step_undone', step: e.step, outcome: e.outcome, errors: e.errors.map(describe) },
        e.outcome === 'undone' ? `Step \`${e.step}\` undone` : `Undo of step \`${e.step}\` failed`,
      ),
    runComplete: (e) =>
      logger.info({ ...base, event: 'reactor.run_completed', duration_ms: e.endedAt - run.startedAt }, `Reactor ${run.reactor} execution completed successfully`),
    runError: (e) =>
      logger.error(
        { ...base, event: 'reactor.run_failed', duration_ms: e.endedAt - run.startedAt, error: describe(e.error), problems: e.problems.map((p) => ({ phase: p.phase, step: p.step, ...describe(p.error) })) },
        `Reactor ${run.reactor} execution failed`,
      ),
    runCancel: (e) =>
      logger.warn({ ...base, event: 'reactor.run_cancelled', duration_ms: e.endedAt - run.startedAt, error: describe(e.error) }, `Reactor ${run.reactor} execution was cancelled`),
    runHalt: (e) =>
      logger.warn({ ...base, event: 'reactor.run_halted', duration_ms: e.endedAt - run.startedAt, reason: String(e.reason) }, `Reactor ${run.reactor} execution halted`),
  };
}

/**
 * Logs what the original's debug middleware printed (run started, step started / completed / errored, run
 * completed), as structured JSON fields with the run and trace ids; `verbose` adds the run context.
 * @example reactor.run(inputs, { middleware: [structuredLogMiddleware({ logger: app.log })] })
 */
export function structuredLogMiddleware(options: { readonly logger: StructuredLogger; readonly verbose?: boolean; readonly name?: string }): Middleware {
  return { name: options.name ?? 'structured-log', attach: (run) => runHooks(run, options.logger, options.verbose ?? false) };
}
