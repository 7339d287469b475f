import type { Awaitable } from './directives.ts';
import { OrchestratorError } from './errors.ts';
import type { HookEvents, Middleware, MiddlewareHooks, RunInfo } from './types.ts';

export type SpanAttributeValue = string | number | boolean;

/** OTLP's status codes (opentelemetry/proto/trace/v1/trace.proto, Status.StatusCode), lower-cased. */
export interface SpanStatus {
  readonly code: 'unset' | 'ok' | 'error';
  readonly message?: string;
}

/**
 * A finished span, named after the OTLP Span message's fields (opentelemetry/proto/trace/v1/trace.proto):
 * `trace_id` 32 and `span_id`/`parent_span_id` 16 lower-case hex digits (W3C trace context), times in Unix
 * nanoseconds. The OTLP pipeline takes these as they are.
 */
export interface SpanRecord {
  readonly trace_id: string;
  readonly span_id: string;
  /** Undefined for a root span. */
  readonly parent_span_id: string | undefined;
  readonly name: string;
  readonly kind: 'internal';
  readonly start_time_unix_nano: bigint;
  readonly end_time_unix_nano: bigint;
  readonly attributes: Readonly<Record<string, SpanAttributeValue>>;
  readonly status: SpanStatus;
}

/** Receives each span as it finishes. */
export type SpanSink = (span: SpanRecord) => Awaitable<void>;

/** Epoch milliseconds (fractional) to Unix nanoseconds, without losing the sub-millisecond part to float rounding. */
export function unixNanos(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1_000_000));
}

const ok: SpanStatus = { code: 'ok' };
const unset: SpanStatus = { code: 'unset' };
const errorStatus = (error: Error): SpanStatus => ({ code: 'error', message: error.message });
const errorAttributes = (error: Error): Record<string, string> => ({
  'error.type': error instanceof OrchestratorError ? error.code : error.name,
  'exception.message': error.message,
});

type Ended = HookEvents['stepComplete' | 'stepError' | 'stepRetry' | 'stepHalt'];

function runHooks(run: RunInfo, sink: SpanSink): MiddlewareHooks {
  const common = { reactor: run.reactor, runId: run.runId };
  /** Attempt spans already sent: an error followed by its retry is one span, not two. */
  const sent = new Set<string>();
  const span = (spanId: string, parent: string | undefined, name: string, startedAt: number, endedAt: number, attributes: Record<string, SpanAttributeValue>, status: SpanStatus): Awaitable<void> => {
    attributes['reactor.name'] = common.reactor;
    attributes['reactor.run_id'] = common.runId;
    return sink({
      trace_id: run.traceId,
      span_id: spanId,
      parent_span_id: parent,
      name,
      kind: 'internal',
      start_time_unix_nano: unixNanos(startedAt),
      end_time_unix_nano: unixNanos(endedAt),
      attributes,
      status,
    });
  };
  const attempt = (event: Ended, outcome: string, status: SpanStatus, extra?: Record<string, SpanAttributeValue>): Awaitable<void> => {
    if (sent.has(event.spanId)) return undefined;
    sent.add(event.spanId);
    const attributes: Record<string, SpanAttributeValue> = {
      'step.name': event.step,
      'step.attempt': event.attempt,
      'step.outcome': outcome,
      'step.duration_ms': event.endedAt - event.startedAt,
    };
    if (extra !== undefined) Object.assign(attributes, extra);
    return span(event.spanId, run.spanId, `reactor.step.${event.step}`, event.startedAt, event.endedAt, attributes, status);
  };
  const root = (endedAt: number, outcome: string, status: SpanStatus, extra: Record<string, SpanAttributeValue> = {}): Awaitable<void> => {
    const attributes = { 'reactor.steps_count': run.steps.length, 'reactor.outcome': outcome, 'reactor.resumed': run.resumed, 'reactor.duration_ms': endedAt - run.startedAt, ...extra };
    return span(run.spanId, run.parentSpanId, `reactor.${run.reactor}.execution`, run.startedAt, endedAt, attributes, status);
  };
  return {
    stepComplete: (e) => attempt(e, 'completed', ok),
    stepError: (e) => attempt(e, e.error instanceof OrchestratorError && e.error.code === 'STEP_TIMEOUT' ? 'timeout' : 'error', errorStatus(e.error), errorAttributes(e.error)),
    stepRetry: (e) => attempt(e, 'retry', unset, { 'step.retry_delay_ms': e.delayMs }),
    stepHalt: (e) => attempt(e, 'halted', unset),
    stepCompensate: (e) =>
      span(
        e.spanId,
        e.attemptSpanId,
        `reactor.step.${e.step}.compensate`,
        e.startedAt,
        e.endedAt,
        { 'step.name': e.step, 'step.attempt': e.attempt, 'step.outcome': e.outcome, ...(e.failure === undefined ? {} : errorAttributes(e.failure)) },
        e.failure === undefined ? ok : errorStatus(e.failure),
      ),
    stepUndo: (e) =>
      span(
        e.spanId,
        run.spanId,
        `reactor.step.${e.step}.undo`,
        e.startedAt,
        e.endedAt,
        { 'step.name': e.step, 'step.attempt': e.attempt, 'step.outcome': e.outcome },
        e.errors[0] === undefined ? ok : errorStatus(e.errors[0]),
      ),
    runComplete: (e) => root(e.endedAt, 'completed', ok),
    runError: (e) => root(e.endedAt, 'failed', errorStatus(e.error), { ...errorAttributes(e.error), 'reactor.problems': e.problems.length }),
    runCancel: (e) => root(e.endedAt, 'cancelled', errorStatus(e.error), { 'reactor.problems': e.problems.length }),
    runHalt: (e) => root(e.endedAt, 'halted', unset, { 'reactor.halt_reason': String(e.reason) }),
  };
}

/**
 * One root span per run (`reactor.<name>.execution`, child of `context.parentSpanId` when given) and one child span
 * per step attempt (`reactor.step.<name>`, with `step.name`, `step.attempt`, `step.outcome`), plus
 * `reactor.step.<name>.compensate` and `.undo` spans, all in the run's trace. A failing sink is recorded on the
 * run's problems, never fatal.
 * @example reactor.run(inputs, { middleware: [telemetryMiddleware({ sink: (span) => pipeline.push(span) })] })
 */
export function telemetryMiddleware(options: { readonly sink: SpanSink; readonly name?: string }): Middleware {
  return { name: options.name ?? 'telemetry', attach: (run) => runHooks(run, options.sink) };
}
