import { describe, expect, it } from 'vitest';
import { OrchestratorError, toJson, toJsonObject } from '../../src/orchestrator/index.ts';

describe('the JSON form of recorded values', () => {
  it('keeps what JSON can hold and converts the rest', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const shared = { id: 1 };
    expect(
      toJson({
        big: 12345678901234567890n,
        at: new Date('2025-01-02T03:04:05.678Z'),
        error: new OrchestratorError('STEP_TIMEOUT', 'too slow', { cause: new Error('inner') }),
        set: new Set([1, 2]),
        map: new Map([['k', 'v']]),
        fn: () => 1,
        nothing: undefined,
        nan: Number.NaN,
        cyclic,
        pair: [shared, shared],
      }),
    ).toEqual({
      big: '12345678901234567890',
      at: '2025-01-02T03:04:05.678Z',
      error: { name: 'OrchestratorError', code: 'STEP_TIMEOUT', message: 'too slow', cause: { name: 'Error', message: 'inner' } },
      set: [1, 2],
      map: { k: 'v' },
      nan: 'NaN',
      cyclic: { name: 'loop', self: '[circular]' },
      pair: [{ id: 1 }, { id: 1 }],
    });
  });

  it('redacts values under secret-looking keys at any depth', () => {
    expect(toJson({ n8n_config: { api_url: 'http://n8n', api_key: 'k', nested: [{ password: 'p', Authorization: 'Bearer x' }] }, token: 't' })).toEqual({
      n8n_config: { api_url: 'http://n8n', api_key: '<redacted>', nested: [{ password: '<redacted>', Authorization: '<redacted>' }] },
      token: '<redacted>',
    });
  });

  it('wraps non-objects and caps large values', () => {
    expect(toJsonObject('done')).toEqual({ value: 'done' });
    expect(toJsonObject([1])).toEqual({ value: [1] });
    expect(toJsonObject({ text: 'x'.repeat(70_000) })).toMatchObject({ truncated: true, chars: 70_011 });
  });
});
