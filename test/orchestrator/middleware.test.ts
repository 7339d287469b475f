import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  continueWith,
  isSpanId,
  isTraceId,
  reactor,
  result,
  structuredLogMiddleware,
  telemetryMiddleware,
  type Middleware,
  type SpanRecord,
} from '../../src/orchestrator/index.ts';
import { fakeClock, gate } from './fake-clock.ts';

function collector(): { readonly spans: SpanRecord[]; readonly middleware: Middleware } {
  const spans: SpanRecord[] = [];
  return { spans, middleware: telemetryMiddleware({ sink: (span) => void spans.push(span) }) };
}

/** Three concurrent branches (each waiting for the others), a join that fails once and is retried, then a failure. */
function pipeline(log: string[]) {
  const all = gate();
  let started = 0;
  let joins = 0;
  const branch = (name: string) => ({
    name,
    run: async (_: unknown, ctx: { traceId: string }) => {
      log.push(`${name} sees trace ${ctx.traceId}`);
      started += 1;
      if (started === 3) all.open();
      await all.promise;
      return name;
    },
    undo: (_value: unknown, _args: unknown, ctx: { traceId: string }) => void log.push(`undo ${name} sees trace ${ctx.traceId}`),
  });
  return reactor('pipeline')
    .step(branch('parse'))
    .step(branch('enrich'))
    .step(branch('sample'))
    .step({
      name: 'join',
      args: { p: result('parse'), e: result('enrich'), s: result('sample') },
      maxRetries: 1,
      run: () => ((joins += 1), joins === 1 ? Promise.reject(new Error('flaky')) : 'joined'),
      undo: () => void log.push('undo join'),
    })
    .step({
      name: 'export',
      args: { j: result('join') },
      run: () => Promise.reject(new Error('exporter down')),
      compensate: (_e, _a, ctx) => {
        log.push(`compensate sees trace ${ctx.traceId}`);
        return undefined;
      },
    })
    .returns('export');
}

describe('telemetry middleware', () => {
  it('sends one root span per run and a child span per step attempt, with W3C ids and one trace id everywhere', async () => {
    const log: string[] = [];
    const { spans, middleware } = collector();
    const outcome = await pipeline(log).run({}, { middleware: [middleware], clock: fakeClock() });
    expect(outcome.status).toBe('failed');
    const root = spans.find((s) => s.name === 'reactor.pipeline.execution');
    expect(root).toMatchObject({ parent_span_id: undefined, status: { code: 'error', message: 'step export failed: exporter down' } });
    expect(root?.attributes).toMatchObject({ 'reactor.name': 'pipeline', 'reactor.outcome': 'failed', 'reactor.steps_count': 5 });
    const names = spans.map((s) => `${s.name}#${String(s.attributes['step.attempt'] ?? '')}:${String(s.attributes['step.outcome'] ?? s.attributes['reactor.outcome'])}`);
    expect(names.sort()).toEqual(
      [
        'reactor.step.parse#1:completed',
        'reactor.step.enrich#1:completed',
        'reactor.step.sample#1:completed',
        'reactor.step.join#1:error',
        'reactor.step.join#2:completed',
        'reactor.step.export#1:error',
        'reactor.step.export.compensate#1:fail',
        'reactor.step.join.undo#1:undone',
        'reactor.step.sample.undo#1:undone',
        'reactor.step.enrich.undo#1:undone',
        'reactor.step.parse.undo#1:undone',
        'reactor.pipeline.execution#:failed',
      ].sort(),
    );
    expect(new Set(spans.map((s) => s.trace_id))).toEqual(new Set([outcome.traceId]));
    expect(isTraceId(outcome.traceId)).toBe(true);
    expect(spans.every((s) => isSpanId(s.span_id))).toBe(true);
    expect(new Set(spans.map((s) => s.span_id)).size).toBe(spans.length);
    const stepSpans = spans.filter((s) => s.name.startsWith('reactor.step.') && !s.name.includes('.compensate'));
    expect(stepSpans.every((s) => s.parent_span_id === root?.span_id)).toBe(true);
    const compensation = spans.find((s) => s.name === 'reactor.step.export.compensate');
    expect(compensation?.parent_span_id).toBe(spans.find((s) => s.name === 'reactor.step.export')?.span_id);
    expect(spans.every((s) => typeof s.start_time_unix_nano === 'bigint' && s.end_time_unix_nano >= s.start_time_unix_nano)).toBe(true);
    // Three concurrent steps, the compensation and the three undos all see the run's trace id.
    expect(log.filter((l) => l.includes('sees trace'))).toEqual([...Array(7).keys()].map(() => expect.stringContaining(outcome.traceId)));
  });

  it('uses the trace id (and parent span) given in the run context', async () => {
    const { spans, middleware } = collector();
    const traceId = '4BF92F3577B34DA6A3CE929D0E0E4736';
    const parentSpanId = '00f067aa0ba902b7';
    const r = reactor('joined').step({ name: 'only', run: (_, ctx) => ctx.traceId }).returns('only');
    const outcome = await r.run({}, { middleware: [middleware], context: { traceId, parentSpanId } });
    expect(outcome).toMatchObject({ status: 'completed', value: traceId.toLowerCase(), traceId: traceId.toLowerCase() });
    expect(spans.map((s) => s.trace_id)).toEqual([traceId.toLowerCase(), traceId.toLowerCase()]);
    expect(spans.find((s) => s.name === 'reactor.joined.execution')?.parent_span_id).toBe(parentSpanId);
  });

  it('marks compensation that continues, and a failing sink is recorded on the run, never fatal', async () => {
    const r = reactor('r')
      .step({ name: 's', run: (): Promise<string> => Promise.reject(new Error('x')), compensate: () => continueWith('saved') })
      .returns('s');
    const spans: SpanRecord[] = [];
    const outcome = await r.run({}, { middleware: [telemetryMiddleware({ sink: (s) => void spans.push(s) })] });
    expect(spans.find((s) => s.name === 'reactor.step.s.compensate')?.attributes['step.outcome']).toBe('continue');
    const broken = await r.run({}, { middleware: [telemetryMiddleware({ sink: () => Promise.reject(new Error('collector down')) })] });
    expect(broken).toMatchObject({ status: 'completed', value: 'saved' });
    expect(broken.problems.length).toBeGreaterThan(0);
    expect(broken.problems.every((p) => p.phase === 'middleware' && p.error.message.includes('collector down'))).toBe(true);
    expect(outcome.problems).toEqual([]);
  });
});

describe('structured log middleware', () => {
  it('logs run and step lifecycle lines as JSON through a pino logger', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, stream);
    const r = reactor('greeter')
      .step({ name: 'hello', run: () => 'hi' })
      .step({ name: 'oops', args: { h: result('hello') }, run: () => Promise.reject(new Error('bad')) })
      .returns('oops');
    const outcome = await r.run({}, { middleware: [structuredLogMiddleware({ logger, verbose: true })], context: { agent_id: 'agent_1' } });
    logger.flush();
    const messages = lines.map((l) => l['msg']);
    expect(messages).toEqual([
      'Reactor greeter started execution',
      'Step `hello` started',
      'Step `hello` completed successfully',
      'Step `oops` started',
      'Step `oops` encountered an error',
      'Reactor greeter execution failed',
    ]);
    expect(lines[0]).toMatchObject({ level: 30, event: 'reactor.run_started', reactor: 'greeter', run_id: outcome.runId, trace_id: outcome.traceId, context: { agent_id: 'agent_1' } });
    expect(lines[4]).toMatchObject({ level: 50, event: 'reactor.step_errored', step: 'oops', attempt: 1, error: { code: 'Error', message: 'bad' } });
    expect(lines[5]).toMatchObject({ event: 'reactor.run_failed', error: { code: 'STEP_FAILED' } });
  });
});

describe('middleware failures before side effects', () => {
  it('a failing attach or runStart fails the run before any step', async () => {
    let ran = false;
    const r = reactor('guarded').step({ name: 's', run: () => (ran = true) }).returns('s');
    const refuse: Middleware = { name: 'gate', attach: () => ({ runStart: () => Promise.reject(new Error('not today')) }) };
    expect(await r.run({}, { middleware: [refuse] })).toMatchObject({
      status: 'failed',
      error: { code: 'MIDDLEWARE_FAILED', middleware: 'gate', message: 'middleware gate failed in runStart: not today' },
    });
    const broken: Middleware = { name: 'broken', attach: () => Promise.reject(new Error('no')) };
    expect(await r.run({}, { middleware: [broken] })).toMatchObject({ status: 'failed', error: { code: 'MIDDLEWARE_FAILED' } });
    expect(ran).toBe(false);
  });

  it('a failing stepStart keeps that step from running and fails the run, undoing what completed', async () => {
    const log: string[] = [];
    const r = reactor('r')
      .step({ name: 'a', run: () => 'a', undo: () => void log.push('undo a') })
      .step({ name: 'b', args: { a: result('a') }, run: () => void log.push('b ran') })
      .returns('b');
    const refuseB: Middleware = { name: 'refuse-b', attach: () => ({ stepStart: (e) => (e.step === 'b' ? Promise.reject(new Error('cannot record')) : undefined) }) };
    expect(await r.run({}, { middleware: [refuseB] })).toMatchObject({ status: 'failed', error: { code: 'MIDDLEWARE_FAILED', step: 'b' } });
    expect(log).toEqual(['undo a']);
  });
});
