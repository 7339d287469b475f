import { OrchestratorError, type OrchestratorErrorCode } from './errors.ts';
import type { InputDeclaration, ReactorDefinition, ReactorOptions, StepSpec } from './types.ts';

/** One argument, resolved to where its value lives at run time. */
export type PlanArg =
  | { readonly key: string; readonly source: 'input'; readonly name: string }
  | { readonly key: string; readonly source: 'result'; readonly node: number }
  | { readonly key: string; readonly source: 'value'; readonly value: unknown };

export interface PlanNode {
  readonly index: number;
  readonly name: string;
  readonly spec: StepSpec;
  readonly args: readonly PlanArg[];
  /** Distinct steps this one waits for (arguments and `waitFor`). */
  readonly dependencies: readonly number[];
  readonly dependents: readonly number[];
  readonly maxRetries: number;
  readonly timeoutMs: number | undefined;
  readonly async: boolean;
}

/** A checked reactor: the DAG of its steps, built once when the reactor is defined. */
export interface Plan {
  readonly name: string;
  readonly inputs: readonly InputDeclaration[];
  readonly nodes: readonly PlanNode[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly returnIndex: number;
  readonly options: ReactorOptions;
}

type Issue = readonly [OrchestratorErrorCode, string, { readonly step?: string; readonly argument?: string; readonly input?: string }?];

const isWholeOrInfinite = (n: unknown, min: number): boolean =>
  typeof n === 'number' && n >= min && (Number.isInteger(n) || n === Number.POSITIVE_INFINITY);
const isPositiveFinite = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0;

/** Range checks shared by reactor options and per-run options. */
export function optionIssues(where: string, options: ReactorOptions): Issue[] {
  const issues: Issue[] = [];
  if (options.concurrency !== undefined && !isWholeOrInfinite(options.concurrency, 1)) {
    issues.push(['INVALID_OPTION', `${where}: concurrency must be a whole number >= 1 or Infinity (got ${String(options.concurrency)})`]);
  }
  if (options.timeoutMs !== undefined && !isPositiveFinite(options.timeoutMs)) {
    issues.push(['INVALID_OPTION', `${where}: timeoutMs must be a positive number of milliseconds (got ${String(options.timeoutMs)})`]);
  }
  if (options.settleTimeoutMs !== undefined && !(isPositiveFinite(options.settleTimeoutMs) || options.settleTimeoutMs === 0)) {
    issues.push(['INVALID_OPTION', `${where}: settleTimeoutMs must be >= 0 milliseconds (got ${String(options.settleTimeoutMs)})`]);
  }
  return issues;
}

function stepIssues(reactor: string, step: StepSpec, inputs: ReadonlySet<string>, steps: ReadonlySet<string>): Issue[] {
  const where = `reactor ${reactor}: step '${step.name}'`;
  const issues: Issue[] = [];
  const on = { step: step.name };
  if (typeof step.run !== 'function') issues.push(['INVALID_DEFINITION', `${where} has no run function`, on]);
  if (step.maxRetries !== undefined && !isWholeOrInfinite(step.maxRetries, 0)) {
    issues.push(['INVALID_OPTION', `${where}: maxRetries must be a whole number >= 0 or Infinity (got ${String(step.maxRetries)})`, on]);
  }
  if (step.timeoutMs !== undefined && !isPositiveFinite(step.timeoutMs)) {
    issues.push(['INVALID_OPTION', `${where}: timeoutMs must be a positive number of milliseconds (got ${String(step.timeoutMs)})`, on]);
  }
  for (const [argument, source] of Object.entries(step.args)) {
    if (source.source === 'input' && !inputs.has(source.name)) {
      issues.push(['UNKNOWN_INPUT', `${where} argument '${argument}' names input '${source.name}', which is not declared`, { ...on, argument, input: source.name }]);
    }
    if (source.source === 'result' && !steps.has(source.step)) {
      issues.push(['UNKNOWN_STEP', `${where} argument '${argument}' names step '${source.step}', which is not declared`, { ...on, argument }]);
    }
  }
  for (const other of step.waitFor ?? []) {
    if (!steps.has(other)) issues.push(['UNKNOWN_STEP', `${where} waits for step '${other}', which is not declared`, on]);
  }
  return issues;
}

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
}

/** The first cycle found (as step names, first repeated at the end), by iterative depth-first search. */
function findCycle(names: readonly string[], dependencies: readonly (readonly number[])[]): string[] | undefined {
  const state = new Uint8Array(names.length); // 0 unvisited, 1 on the stack, 2 done
  for (let root = 0; root < names.length; root += 1) {
    if (state[root] !== 0) continue;
    const path: number[] = [root];
    const next: number[] = [0];
    state[root] = 1;
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] ?? 0;
      const edges = dependencies[node] ?? [];
      const edge = next[top] ?? 0;
      if (edge >= edges.length) {
        state[node] = 2;
        path.pop();
        next.pop();
        continue;
      }
      next[top] = edge + 1;
      const target = edges[edge] ?? 0;
      if (state[target] === 1) return [...path.slice(path.indexOf(target)), target].map((i) => names[i] ?? '');
      if (state[target] === 0) {
        state[target] = 1;
        path.push(target);
        next.push(0);
      }
    }
  }
  return undefined;
}

function throwIssues(reactor: string, issues: readonly Issue[]): never {
  const errors = issues.map(([code, message, about]) => new OrchestratorError(code, message, { reactor, ...about }));
  const [first] = errors;
  if (first === undefined) throw new Error('throwIssues needs at least one issue');
  if (errors.length === 1) throw first;
  throw new OrchestratorError(first.code, `${errors.length} problems:\n${errors.map((e) => `  - ${e.message} (${e.code})`).join('\n')}`, {
    reactor,
    ...(first.step === undefined ? {} : { step: first.step }),
    ...(first.argument === undefined ? {} : { argument: first.argument }),
    issues: errors,
  });
}

/**
 * Checks a definition and builds its plan. Every problem (duplicate names, unknown inputs or steps, cycles, options
 * out of range) is reported at once, as an OrchestratorError whose code is the first problem's.
 */
export function planReactor(definition: ReactorDefinition): Plan {
  const reactor = definition.name;
  if (typeof reactor !== 'string' || reactor.length === 0) throw new OrchestratorError('INVALID_DEFINITION', 'a reactor needs a non-empty name');
  const inputNames = definition.inputs.map((i) => i.name);
  const stepNames = definition.steps.map((s) => s.name);
  const inputs = new Set(inputNames);
  const steps = new Set(stepNames);
  const issues: Issue[] = [
    ...duplicates(inputNames).map((name): Issue => ['DUPLICATE_INPUT', `reactor ${reactor}: input '${name}' is declared twice`, { input: name }]),
    ...duplicates(stepNames).map((name): Issue => ['DUPLICATE_STEP', `reactor ${reactor}: step '${name}' is declared twice`, { step: name }]),
    ...stepNames.filter((n) => typeof n !== 'string' || n.length === 0).map((): Issue => ['INVALID_DEFINITION', `reactor ${reactor}: a step has no name`]),
    ...definition.steps.flatMap((step) => stepIssues(reactor, step, inputs, steps)),
    ...optionIssues(`reactor ${reactor}`, definition.options ?? {}),
  ];
  if (!steps.has(definition.returns)) {
    issues.push(['UNKNOWN_RETURN', `reactor ${reactor} returns step '${definition.returns}', which is not declared`, { step: definition.returns }]);
  }
  if (issues.length > 0) throwIssues(reactor, issues);

  const indexOf = new Map(stepNames.map((name, index) => [name, index]));
  const at = (name: string): number => indexOf.get(name) ?? -1;
  const dependencies = definition.steps.map((step) => [
    ...new Set([
      ...Object.values(step.args).flatMap((source) => (source.source === 'result' ? [at(source.step)] : [])),
      ...(step.waitFor ?? []).map(at),
    ]),
  ]);
  const cycle = findCycle(stepNames, dependencies);
  if (cycle !== undefined) {
    throwIssues(reactor, [['DEPENDENCY_CYCLE', `reactor ${reactor}: steps ${cycle.join(' -> ')} depend on each other in a cycle`, { step: cycle[0] ?? '' }]]);
  }
  const dependents = stepNames.map((): number[] => []);
  dependencies.forEach((deps, index) => deps.forEach((dep) => dependents[dep]?.push(index)));
  const reactorAsync = definition.options?.async ?? true;
  const nodes = definition.steps.map(
    (spec, index): PlanNode => ({
      index,
      name: spec.name,
      spec,
      args: Object.entries(spec.args).map(([key, source]): PlanArg => {
        switch (source.source) {
          case 'input':
            return { key, source: 'input', name: source.name };
          case 'result':
            return { key, source: 'result', node: at(source.step) };
          case 'value':
            return { key, source: 'value', value: source.value };
        }
      }),
      dependencies: dependencies[index] ?? [],
      dependents: dependents[index] ?? [],
      maxRetries: spec.maxRetries ?? 0,
      timeoutMs: spec.timeoutMs,
      async: reactorAsync && spec.async !== false,
    }),
  );
  return { name: reactor, inputs: definition.inputs, nodes, indexOf, returnIndex: at(definition.returns), options: definition.options ?? {} };
}
