/** Every error the orchestrator reports, by code: definition problems (thrown when a reactor is defined) and run failures. */
export const orchestratorErrorCatalog = {
  INVALID_DEFINITION: 'is not a valid reactor definition',
  DUPLICATE_INPUT: 'declares an input twice',
  DUPLICATE_STEP: 'declares a step twice',
  UNKNOWN_INPUT: 'names an input the reactor does not declare',
  UNKNOWN_STEP: 'names a step the reactor does not declare',
  UNKNOWN_RETURN: 'returns a step the reactor does not declare',
  DEPENDENCY_CYCLE: 'has steps that depend on each other in a cycle',
  INVALID_OPTION: 'has an option outside its allowed range',
  MISSING_INPUT: 'is missing a required input',
  INVALID_INPUT: 'was given an input that fails its check',
  STEP_FAILED: 'step failed',
  STEP_TIMEOUT: 'step timed out',
  RETRIES_EXCEEDED: 'step ran out of retries',
  INVALID_RESULT: 'step returned something it may not return',
  RUN_TIMEOUT: 'run timed out',
  RUN_CANCELLED: 'run was cancelled',
  RUN_STOPPED: 'step did not run because the run stopped',
  MIDDLEWARE_FAILED: 'middleware failed',
  UNDO_FAILED: 'undo failed',
  COMPENSATE_FAILED: 'compensation failed',
  ABANDONED_STEP: 'step did not settle after it was aborted',
  NO_SWITCH_BRANCH: 'no branch matched',
  SUB_REACTOR_FAILED: 'a nested reactor did not complete',
} as const satisfies Record<string, string>;

export type OrchestratorErrorCode = keyof typeof orchestratorErrorCatalog;

export interface OrchestratorErrorOptions {
  readonly reactor?: string;
  readonly step?: string;
  readonly argument?: string;
  readonly input?: string;
  readonly middleware?: string;
  readonly cause?: unknown;
  /** Every problem found, when a definition has several (the error's own code is the first one's). */
  readonly issues?: readonly OrchestratorError[];
}

/** A coded orchestrator error, naming the reactor, step, argument or input it is about. */
export class OrchestratorError extends Error {
  readonly code: OrchestratorErrorCode;
  readonly reactor: string | undefined;
  readonly step: string | undefined;
  readonly argument: string | undefined;
  readonly input: string | undefined;
  readonly middleware: string | undefined;
  readonly issues: readonly OrchestratorError[];

  constructor(code: OrchestratorErrorCode, message: string, options: OrchestratorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrchestratorError';
    this.code = code;
    this.reactor = options.reactor;
    this.step = options.step;
    this.argument = options.argument;
    this.input = options.input;
    this.middleware = options.middleware;
    this.issues = options.issues ?? [];
  }
}

/** Thrown values that are not Errors become Errors (the original value is the cause), like tRPC's getErrorFromUnknown. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const text = typeof thrown === 'string' ? thrown : safeString(thrown);
  return new Error(text, { cause: thrown });
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Circular or BigInt-holding values have no JSON form; their String() is still a useful message.
    return String(value);
  }
}

export const isOrchestratorError = (error: unknown): error is OrchestratorError => error instanceof OrchestratorError;
