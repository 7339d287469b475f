import { describe, expectTypeOf, it } from 'vitest';
import { continueWith, fail, input, optional, reactor, required, result, retry, value, type RunResult } from '../../src/orchestrator/index.ts';

interface DeployConfig {
  readonly service: string;
  readonly replicas: number;
}

describe('the reactor builder carries types from run to consumers', () => {
  it('types step arguments from inputs, results and values, and the run result from the returned step', () => {
    const deploy = reactor('deploy')
      .input('config', required<DeployConfig>())
      .input('dryRun', optional(false))
      .input('note', optional<string>())
      .step({
        name: 'plan',
        args: { config: input('config'), dry: input('dryRun'), note: input('note'), version: value(3) },
        run: ({ config, dry, note, version }) => {
          expectTypeOf(config).toEqualTypeOf<DeployConfig>();
          expectTypeOf(dry).toEqualTypeOf<boolean>();
          expectTypeOf(note).toEqualTypeOf<string | undefined>();
          expectTypeOf(version).toEqualTypeOf<number>();
          return { service: config.service, pods: config.replicas * version };
        },
      })
      .step({
        name: 'apply',
        args: { plan: result('plan') },
        run: async ({ plan }) => {
          expectTypeOf(plan).toEqualTypeOf<{ service: string; pods: number }>();
          return plan.pods > 0 ? { applied: plan.pods } : retry('no pods yet');
        },
        undo: (applied) => {
          expectTypeOf(applied).toEqualTypeOf<{ applied: number }>();
        },
        compensate: () => continueWith({ applied: 0 }),
      })
      .returns('apply');

    expectTypeOf(deploy.run).parameter(0).toEqualTypeOf<{ readonly config: DeployConfig; readonly dryRun?: boolean | undefined; readonly note?: string | undefined }>();
    expectTypeOf(deploy.run).returns.resolves.toEqualTypeOf<RunResult<{ applied: number }>>();
  });

  it('refuses references to undeclared inputs and steps, and wrong continue values', () => {
    const base = reactor('r').input('a', required<number>());
    // @ts-expect-error 'b' is not an input
    base.step({ name: 's', args: { b: input('b') }, run: () => 1 });
    // @ts-expect-error 'nope' is not a step
    base.step({ name: 's', args: { x: result('nope') }, run: () => 1 });
    base.step({
      name: 's',
      run: () => 1,
      // @ts-expect-error compensate must continue with the step's result type
      compensate: () => continueWith('one'),
    });
    // @ts-expect-error only declared steps can be returned
    base.step({ name: 's', run: () => 1 }).returns('t');
    base.step({ name: 's', run: () => (Math.random() > 0.5 ? 1 : fail(new Error('x'))) }).returns('s');
  });

  it('a step that only throws produces never; directives are not part of a result type', () => {
    const throwing = reactor('t')
      .step({
        name: 't',
        run: async (): Promise<never> => {
          throw new Error('always');
        },
      })
      .returns('t');
    expectTypeOf(throwing.run).returns.resolves.toEqualTypeOf<RunResult<never>>();
    const mixed = reactor('m')
      .step({ name: 'm', run: (_, ctx) => (ctx.attempt > 1 ? 'done' : retry()) })
      .returns('m');
    expectTypeOf(mixed.run).returns.resolves.toEqualTypeOf<RunResult<'done'>>();
  });

  it('types compose, map and switch results', () => {
    const inner = reactor('inner')
      .input('n', required<number>())
      .step({ name: 'double', args: { n: input('n') }, run: ({ n }) => n * 2 })
      .returns('double');
    const outer = reactor('outer')
      .input('items', required<readonly string[]>())
      .input('n', required<number>())
      .compose({ name: 'nested', reactor: inner, args: { n: input('n') } })
      .map({
        name: 'lengths',
        over: input('items'),
        args: { factor: result('nested') },
        each: (item, { index, args }) => {
          expectTypeOf(item).toEqualTypeOf<string>();
          expectTypeOf(index).toEqualTypeOf<number>();
          expectTypeOf(args.factor).toEqualTypeOf<number>();
          return item.length * args.factor;
        },
      })
      .switch({
        name: 'size',
        on: result('nested'),
        branches: [
          { when: (n) => n > 10, run: (n) => `big ${n}` },
          { when: (n) => n > 5, run: () => 'medium' },
        ],
        default: () => 'small',
      })
      .step({
        name: 'report',
        args: { lengths: result('lengths'), size: result('size'), nested: result('nested') },
        run: ({ lengths, size, nested }) => {
          expectTypeOf(lengths).toEqualTypeOf<number[]>();
          expectTypeOf(size).toEqualTypeOf<string>();
          expectTypeOf(nested).toEqualTypeOf<number>();
          return lengths.length;
        },
      })
      .returns('report');
    expectTypeOf(outer.run).returns.resolves.toEqualTypeOf<RunResult<number>>();
    // @ts-expect-error the nested reactor needs n: number
    reactor('bad').input('s', required<string>()).compose({ name: 'x', reactor: inner, args: { n: input('s') } });
  });
});
