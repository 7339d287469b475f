import { describe, expect, it } from 'vitest';
import { continueWith, fail, reactor, result, retry } from '../../src/orchestrator/index.ts';
import { fakeClock } from './fake-clock.ts';

/** a -> b -> failing, where `failing` is compensated by `compensate`. */
function chain(compensate: (error: Error, attempt: number) => ReturnType<typeof retry> | ReturnType<typeof continueWith<string>> | ReturnType<typeof fail> | undefined, log: string[], failures = 1) {
  let calls = 0;
  return reactor('chain')
    .step({ name: 'a', run: () => 'a', undo: () => void log.push('undo a') })
    .step({ name: 'b', args: { a: result('a') }, run: () => 'b', undo: () => void log.push('undo b') })
    .step({
      name: 'failing',
      args: { b: result('b') },
      maxRetries: 2,
      run: () => {
        calls += 1;
        if (calls <= failures) throw new Error(`attempt ${calls} failed`);
        return `ok after ${calls}`;
      },
      compensate: (error, _args, ctx) => {
        log.push(`compensate ${error.message}`);
        return compensate(error, ctx.attempt);
      },
      undo: () => void log.push('undo failing'),
    })
    .step({ name: 'last', args: { f: result('failing') }, run: ({ f }) => f })
    .returns('last');
}

describe('compensation of the failing step', () => {
  it('continue: the run goes on with the substituted value and nothing is undone', async () => {
    const log: string[] = [];
    const outcome = await chain(() => continueWith('fallback'), log).run({});
    expect(outcome).toMatchObject({ status: 'completed', value: 'fallback' });
    expect(log).toEqual(['compensate attempt 1 failed']);
  });

  it('retry: the step runs again (within maxRetries)', async () => {
    const log: string[] = [];
    const outcome = await chain(() => retry(), log).run({}, { clock: fakeClock() });
    expect(outcome).toMatchObject({ status: 'completed', value: 'ok after 2', steps: [{}, {}, { name: 'failing', attempts: 2 }, {}] });
    expect(log).toEqual(['compensate attempt 1 failed']);
  });

  it('retry beyond maxRetries fails with RETRIES_EXCEEDED and undoes the completed steps in reverse', async () => {
    const log: string[] = [];
    const outcome = await chain(() => retry(), log, 10).run({}, { clock: fakeClock() });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'RETRIES_EXCEEDED', step: 'failing' } });
    expect(log).toEqual(['compensate attempt 1 failed', 'compensate attempt 2 failed', 'compensate attempt 3 failed', 'undo b', 'undo a']);
  });

  it('fail (or nothing): compensation runs first, then undo of every completed step, last first', async () => {
    for (const outcomeOf of [() => undefined, () => fail(new Error('replaced'))]) {
      const log: string[] = [];
      const outcome = await chain(outcomeOf, log).run({});
      expect(outcome.status).toBe('failed');
      expect(log).toEqual(['compensate attempt 1 failed', 'undo b', 'undo a']);
    }
    const replaced = await chain(() => fail(new Error('replaced')), []).run({});
    expect(replaced).toMatchObject({ error: { code: 'STEP_FAILED', message: 'step failing failed: replaced' } });
  });

  it('a compensation that throws is recorded on the run, the step fails with its own error and undo still runs', async () => {
    const log: string[] = [];
    const outcome = await chain(() => {
      throw new Error('compensation broke');
    }, log).run({});
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'STEP_FAILED', message: 'step failing failed: attempt 1 failed' } });
    expect(outcome.problems).toEqual([expect.objectContaining({ phase: 'compensate', step: 'failing', error: expect.objectContaining({ code: 'COMPENSATE_FAILED' }) })]);
    expect(log).toEqual(['compensate attempt 1 failed', 'undo b', 'undo a']);
  });
});

describe('reversals registered with ctx.onUndo', () => {
  it('run at once when the attempt fails, and with the step when it is undone', async () => {
    const log: string[] = [];
    let attempt = 0;
    const r = reactor('scoped')
      .step({
        name: 'partial',
        maxRetries: 1,
        run: (_, ctx) => {
          attempt += 1;
          ctx.onUndo(() => void log.push(`reverse part 1 of attempt ${attempt}`));
          ctx.onUndo(() => void log.push(`reverse part 2 of attempt ${attempt}`));
          if (attempt === 1) throw new Error('half done');
          return 'all done';
        },
      })
      .step({ name: 'later', args: { p: result('partial') }, run: () => Promise.reject(new Error('later fails')) })
      .returns('later');
    const outcome = await r.run({}, { clock: fakeClock() });
    expect(outcome.status).toBe('failed');
    expect(log).toEqual(['reverse part 2 of attempt 1', 'reverse part 1 of attempt 1', 'reverse part 2 of attempt 2', 'reverse part 1 of attempt 2']);
  });
});
