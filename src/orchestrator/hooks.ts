import { OrchestratorError, toError } from './errors.ts';
import type { HookEvents, HookFunctions, HookName, MiddlewareHooks, RunProblem } from './types.ts';

type Listener<K extends HookName> = readonly [name: string, hook: (event: HookEvents[K]) => unknown];
type Lists = { [K in HookName]: Listener<K>[] };

const hookNames = [
  'runStart',
  'runComplete',
  'runError',
  'runHalt',
  'runCancel',
  'stepStart',
  'stepComplete',
  'stepError',
  'stepRetry',
  'stepHalt',
  'stepCompensate',
  'stepUndo',
] as const satisfies readonly HookName[];

export interface AttachedMiddleware {
  readonly name: string;
  readonly hooks: MiddlewareHooks;
}

/** The hooks of one run, grouped by event so that events nobody listens to cost nothing. */
export class HookSet {
  readonly #lists: Lists;
  readonly #attached: readonly AttachedMiddleware[];

  constructor(attached: readonly AttachedMiddleware[]) {
    this.#attached = attached;
    const lists: Lists = {
      runStart: [],
      runComplete: [],
      runError: [],
      runHalt: [],
      runCancel: [],
      stepStart: [],
      stepComplete: [],
      stepError: [],
      stepRetry: [],
      stepHalt: [],
      stepCompensate: [],
      stepUndo: [],
    };
    const add = <K extends HookName>(kind: K, name: string, hooks: HookFunctions): void => {
      const hook = hooks[kind];
      if (hook !== undefined) lists[kind].push([name, hook]);
    };
    for (const { name, hooks } of attached) for (const kind of hookNames) add(kind, name, hooks);
    this.#lists = lists;
  }

  has(kind: HookName): boolean {
    return this.#lists[kind].length > 0;
  }

  /** Calls every listener in order; a failure becomes a problem on the run and the others still run. */
  async emit<K extends HookName>(kind: K, event: HookEvents[K], report: (problem: RunProblem) => void, step?: string): Promise<void> {
    for (const [name, hook] of this.#lists[kind]) {
      try {
        await hook(event);
      } catch (error) {
        report({ phase: 'middleware', step, error: middlewareError(name, kind, error, step) });
      }
    }
  }

  /** Calls listeners in order and stops at the first failure, which it returns (used before side effects). */
  async emitFatal<K extends HookName>(kind: K, event: HookEvents[K], step?: string): Promise<OrchestratorError | undefined> {
    for (const [name, hook] of this.#lists[kind]) {
      try {
        await hook(event);
      } catch (error) {
        return middlewareError(name, kind, error, step);
      }
    }
    return undefined;
  }

  /** Each middleware's `snapshot()`, by name, for a halted run's state. */
  snapshots(report: (problem: RunProblem) => void): Record<string, unknown> {
    const snapshots: Record<string, unknown> = {};
    for (const { name, hooks } of this.#attached) {
      if (hooks.snapshot === undefined) continue;
      try {
        snapshots[name] = hooks.snapshot();
      } catch (error) {
        report({ phase: 'middleware', step: undefined, error: middlewareError(name, 'snapshot', error, undefined) });
      }
    }
    return snapshots;
  }
}

export function middlewareError(name: string, hook: string, error: unknown, step: string | undefined): OrchestratorError {
  const cause = toError(error);
  return new OrchestratorError('MIDDLEWARE_FAILED', `middleware ${name} failed in ${hook}${step === undefined ? '' : ` of step ${step}`}: ${cause.message}`, {
    middleware: name,
    cause,
    ...(step === undefined ? {} : { step }),
  });
}
