import { systemClock } from './clock.ts';
import { OrchestratorError } from './errors.ts';
import { execute, type ExecutionSettings } from './execution.ts';
import { isSpanId, isTraceId, randomIds } from './ids.ts';
import { optionIssues, planReactor, type Plan } from './plan.ts';
import type { Clock, HaltedState, IdSource, Reactor, ReactorDefinition, RunContext, RunOptions, RunResult } from './types.ts';

const defaultConcurrency = 5;
const defaultSettleTimeoutMs = 5000;

type Inputs = Readonly<Record<string, unknown>>;

/** Required inputs present (null counts as missing), checks passed, defaults filled in. */
function prepareInputs(plan: Plan, given: unknown): Inputs | OrchestratorError {
  const source: Inputs = typeof given === 'object' && given !== null ? { ...given } : {};
  const inputs: Record<string, unknown> = { ...source };
  for (const declared of plan.inputs) {
    const candidate = source[declared.name];
    if (candidate === undefined || candidate === null) {
      if (declared.hasDefault) inputs[declared.name] = declared.defaultValue;
      else if (!declared.optional) {
        return new OrchestratorError('MISSING_INPUT', `${declared.name} input is required`, { reactor: plan.name, input: declared.name });
      }
      continue;
    }
    if (declared.check !== undefined && !declared.check(candidate)) {
      return new OrchestratorError('INVALID_INPUT', `${declared.name} input is not valid`, { reactor: plan.name, input: declared.name });
    }
  }
  return inputs;
}

/** A trace id given in the run context joins that trace; it must be W3C-valid (upper case is accepted and lowered). */
function traceIds(plan: Plan, context: RunContext, generate: () => string): { traceId: string; parentSpanId: string | undefined } | OrchestratorError {
  const traceId = context.traceId?.toLowerCase() ?? generate();
  if (!isTraceId(traceId)) {
    return new OrchestratorError('INVALID_OPTION', `context.traceId '${String(context.traceId)}' is not a W3C trace id (32 hex digits, not all zero)`, { reactor: plan.name });
  }
  const parentSpanId = context.parentSpanId?.toLowerCase();
  if (parentSpanId !== undefined && !isSpanId(parentSpanId)) {
    return new OrchestratorError('INVALID_OPTION', `context.parentSpanId '${String(context.parentSpanId)}' is not a W3C span id (16 hex digits, not all zero)`, {
      reactor: plan.name,
    });
  }
  return { traceId, parentSpanId };
}

/** A run that never started: no step ran and no middleware saw it. */
function refusedRun(plan: Plan, error: OrchestratorError, runId: string, traceId: string): RunResult<unknown> {
  const steps = plan.nodes.map((node) => ({ name: node.name, status: 'not_started' as const, attempts: 0 }));
  return { status: 'failed', error, reactor: plan.name, runId, traceId, durationMs: 0, steps, problems: [] };
}

/** Per-reactor defaults made once, not per run (the id source holds a buffer of random bytes). */
interface Shared {
  readonly ids: IdSource;
  readonly clock: Clock;
}

async function startRun(plan: Plan, shared: Shared, given: unknown, options: RunOptions, resume: HaltedState | undefined): Promise<RunResult<unknown>> {
  const defaults = plan.options;
  const ids = options.ids ?? shared.ids;
  const runId = resume?.runId ?? options.runId ?? ids.runId();
  const context = options.context ?? resume?.context ?? {};
  const trace = resume === undefined ? traceIds(plan, context, () => ids.traceId()) : { traceId: resume.traceId, parentSpanId: context.parentSpanId };
  if (trace instanceof OrchestratorError) return refusedRun(plan, trace, runId, '');
  const [issue] = optionIssues(`run of reactor ${plan.name}`, options);
  if (issue !== undefined) return refusedRun(plan, new OrchestratorError(issue[0], issue[1], { reactor: plan.name }), runId, trace.traceId);
  if (resume !== undefined && resume.reactor !== plan.name) {
    const error = new OrchestratorError('INVALID_OPTION', `cannot resume a run of reactor ${resume.reactor} with reactor ${plan.name}`, { reactor: plan.name });
    return refusedRun(plan, error, runId, trace.traceId);
  }
  const inputs = prepareInputs(plan, given);
  if (inputs instanceof OrchestratorError) return refusedRun(plan, inputs, runId, trace.traceId);
  const settings: ExecutionSettings = {
    plan,
    inputs,
    context,
    runId,
    traceId: trace.traceId,
    parentSpanId: trace.parentSpanId,
    middleware: [...(defaults.middleware ?? []), ...(options.middleware ?? [])],
    clock: options.clock ?? shared.clock,
    random: options.random ?? defaults.random ?? Math.random,
    ids,
    concurrency: options.concurrency ?? defaults.concurrency ?? defaultConcurrency,
    async: options.async ?? defaults.async ?? true,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    settleTimeoutMs: options.settleTimeoutMs ?? defaults.settleTimeoutMs ?? defaultSettleTimeoutMs,
    signal: options.signal,
    record: options.record ?? false,
    reversible: options.reversible ?? false,
    resume,
  };
  return execute(settings);
}

/**
 * A reactor from its data definition, with the types the caller vouches for (the builder's `returns` uses this).
 * The definition is checked here: duplicate or unknown names and cycles throw coded OrchestratorErrors.
 */
export function createReactor<TInputs, TOutput>(definition: ReactorDefinition): Reactor<TInputs, TOutput>;
export function createReactor(definition: ReactorDefinition): Reactor<Inputs, unknown> {
  const plan = planReactor(definition);
  const shared = { ids: plan.options.ids ?? randomIds(), clock: plan.options.clock ?? systemClock() };
  return {
    name: plan.name,
    definition,
    run: (inputs, options = {}) => startRun(plan, shared, inputs, options, undefined),
    resume: (state, options = {}) => startRun(plan, shared, state.inputs, options, state),
  };
}

/**
 * Defines a reactor from plain data (steps, inputs and the returned step), for definitions built at run time.
 * The typed builder, `reactor(name)`, is the usual way.
 * @example
 * const r = defineReactor({
 *   name: 'greet',
 *   inputs: [{ name: 'who', ...required() }],
 *   steps: [{ name: 'hello', args: { who: input('who') }, run: ({ who }) => `hello ${String(who)}` }],
 *   returns: 'hello',
 * });
 */
export function defineReactor(definition: ReactorDefinition): Reactor<Inputs, unknown> {
  return createReactor(definition);
}
