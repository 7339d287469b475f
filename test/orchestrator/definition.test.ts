import { describe, expect, it } from 'vitest';
import {
  defineReactor,
  input,
  OrchestratorError,
  optional,
  reactor,
  required,
  result,
  value,
  type ReactorDefinition,
  type StepSpec,
} from '../../src/orchestrator/index.ts';

const step = (name: string, args: StepSpec['args'] = {}, extra: Partial<StepSpec> = {}): StepSpec => ({ name, args, run: () => name, ...extra });

const definitionError = (definition: ReactorDefinition): OrchestratorError => {
  try {
    defineReactor(definition);
  } catch (error) {
    if (error instanceof OrchestratorError) return error;
    throw error;
  }
  throw new Error('the definition was accepted');
};

describe('a reactor definition is checked when it is defined', () => {
  it('rejects a dependency cycle, naming the steps in it', () => {
    const error = definitionError({
      name: 'loop',
      inputs: [],
      steps: [step('a', { x: result('c') }), step('b', { x: result('a') }), step('c', { x: result('b') }), step('d')],
      returns: 'd',
    });
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.message).toBe('reactor loop: steps a -> c -> b -> a depend on each other in a cycle');
    expect(error.reactor).toBe('loop');
  });

  it('rejects a step that depends on itself, and cycles made by waitFor', () => {
    expect(definitionError({ name: 'self', inputs: [], steps: [step('a', { me: result('a') })], returns: 'a' }).message).toContain('steps a -> a');
    const viaWait = definitionError({ name: 'wait', inputs: [], steps: [step('a', {}, { waitFor: ['b'] }), step('b', { x: result('a') })], returns: 'b' });
    expect(viaWait.code).toBe('DEPENDENCY_CYCLE');
  });

  it('rejects a missing step reference, naming the step and the argument', () => {
    const error = definitionError({ name: 'r', inputs: [], steps: [step('charge', { order: result('validate') })], returns: 'charge' });
    expect(error).toMatchObject({ code: 'UNKNOWN_STEP', step: 'charge', argument: 'order' });
    expect(error.message).toBe("reactor r: step 'charge' argument 'order' names step 'validate', which is not declared");
  });

  it('rejects an undeclared input, an unknown waitFor, a duplicate step and an unknown return, all reported at once', () => {
    const error = definitionError({
      name: 'many',
      inputs: [{ name: 'config', ...required() }],
      steps: [step('a', { c: input('confg') }), step('a'), step('b', {}, { waitFor: ['zz'] })],
      returns: 'nope',
    });
    expect(error.code).toBe('DUPLICATE_STEP');
    expect(error.issues.map((i) => i.code)).toEqual(['DUPLICATE_STEP', 'UNKNOWN_INPUT', 'UNKNOWN_STEP', 'UNKNOWN_RETURN']);
    expect(error.issues[1]).toMatchObject({ step: 'a', argument: 'c', input: 'confg' });
    expect(error.message).toContain("step 'b' waits for step 'zz', which is not declared");
  });

  it('rejects options out of range', () => {
    const error = definitionError({
      name: 'opts',
      inputs: [],
      steps: [step('a', {}, { maxRetries: -1, timeoutMs: 0 })],
      returns: 'a',
      options: { concurrency: 0 },
    });
    expect(error.issues.map((i) => i.message)).toEqual([
      "reactor opts: step 'a': maxRetries must be a whole number >= 0 or Infinity (got -1)",
      "reactor opts: step 'a': timeoutMs must be a positive number of milliseconds (got 0)",
      'reactor opts: concurrency must be a whole number >= 1 or Infinity (got 0)',
    ]);
  });

  it('the builder checks the same way when `returns` is called', () => {
    const builder = reactor('dup')
      .step({ name: 'a', run: () => 1 })
      .step({ name: 'a', run: () => 2 });
    expect(() => builder.returns('a')).toThrow(expect.objectContaining({ code: 'DUPLICATE_STEP' }));
  });
});

describe('required inputs are checked before any step runs', () => {
  const ran: string[] = [];
  const deploy = reactor('deploy')
    .input('config', required((v): v is { service: string } => typeof v === 'object' && v !== null && 'service' in v))
    .input('replicas', optional(2))
    .input('note', optional<string>())
    .step({
      name: 'plan',
      args: { config: input('config'), replicas: input('replicas'), note: input('note'), tag: value('v1') },
      run: (args) => {
        ran.push('plan');
        return args;
      },
    })
    .returns('plan');

  it('fails with "config input is required" and runs nothing', async () => {
    ran.length = 0;
    // @ts-expect-error config is required
    const outcome = await deploy.run({});
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error).toMatchObject({ code: 'MISSING_INPUT', input: 'config', message: 'config input is required' });
    expect(outcome.steps).toEqual([{ name: 'plan', status: 'not_started', attempts: 0 }]);
    expect(ran).toEqual([]);
  });

  it('treats null as missing, refuses a value its check rejects, and fills defaults', async () => {
    // @ts-expect-error null is not a config
    expect(await deploy.run({ config: null })).toMatchObject({ status: 'failed', error: { code: 'MISSING_INPUT' } });
    // @ts-expect-error not a config
    expect(await deploy.run({ config: 'x' })).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT', message: 'config input is not valid' } });
    const outcome = await deploy.run({ config: { service: 'api' } });
    expect(outcome).toMatchObject({ status: 'completed', value: { config: { service: 'api' }, replicas: 2, note: undefined, tag: 'v1' } });
  });

  it('refuses a trace id that is not W3C-valid before running anything', async () => {
    const outcome = await deploy.run({ config: { service: 'api' } }, { context: { traceId: 'trace-123' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'INVALID_OPTION' } });
  });
});
