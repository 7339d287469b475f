import type { Parsed, VarSpec } from './parsers.ts';
import { variables, type VariableName } from './variables.ts';

type ValueOf<TSpec> = TSpec extends VarSpec<infer T> ? T : never;

/** The validated configuration, keyed by environment variable name. */
export type Config = { readonly [K in VariableName]: ValueOf<(typeof variables)[K]> };

export const redacted = '<redacted>';

/** A start-stopping configuration problem: one line per bad variable, naming it, its value and what is allowed. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const isSecret = (name: VariableName): boolean => variables[name].secret;

/** Reads and validates every variable at once; throws ConfigError listing all problems. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const problems: string[] = [];
  const entries = (Object.keys(variables) as VariableName[]).map((name) => {
    const spec: VarSpec<unknown> = variables[name];
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return [name, spec.fallback] as const;
    const parsed: Parsed<unknown> = spec.parse(raw);
    if (parsed.ok) return [name, parsed.value] as const;
    problems.push(`${name}=${isSecret(name) ? redacted : JSON.stringify(raw)} is not allowed: expected ${parsed.allowed}`);
    return [name, spec.fallback] as const;
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(Object.fromEntries(entries)) as Config;
}

/** The configuration with every secret replaced, safe to log or show. */
export function redactConfig(config: Config): Record<VariableName, unknown> {
  const entries = (Object.keys(variables) as VariableName[]).map((name) => {
    const value = config[name];
    return [name, isSecret(name) && value !== undefined && value !== '' ? redacted : value] as const;
  });
  return Object.fromEntries(entries) as Record<VariableName, unknown>;
}

/** A connection URL with its password replaced, for logs and errors. */
export function redactUrl(connection: string): string {
  try {
    const { protocol, username, password, host, pathname } = new URL(connection);
    const credentials = username === '' ? '' : `${username}${password === '' ? '' : `:${redacted}`}@`;
    return `${protocol}//${credentials}${host}${pathname}`;
  } catch {
    return redacted;
  }
}
