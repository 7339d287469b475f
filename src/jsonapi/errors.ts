import { errorCatalog, type ErrorCode } from '../../resources/contracts/error-catalog.ts';

/** The catalog lives with the API contracts (resources/contracts), so codegen documents exactly these codes. */
export { errorCatalog, type ErrorCode };

/** Which input member an error is about; the JSON:API layer turns it into a `source.pointer`. */
export interface ErrorField {
  readonly kind: 'attribute' | 'relationship' | 'argument';
  readonly name: string;
}

export interface ApiErrorOptions {
  readonly detail?: string;
  readonly field?: ErrorField;
  readonly source?: { readonly pointer?: string; readonly parameter?: string; readonly header?: string };
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Seconds, sent as Retry-After (503, 429, and 409s a client may retry). */
  readonly retryAfter?: number;
  readonly cause?: unknown;
}

/** The one error type operations throw. Only src/server/error-handler.ts turns it into a response body. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly options: ApiErrorOptions;

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    super(options.detail ?? errorCatalog[code].title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.title = errorCatalog[code].title;
    this.options = options;
  }
}

/** Several problems found at once (e.g. every invalid member of a body). */
export class ApiErrors extends Error {
  readonly errors: readonly ApiError[];

  constructor(errors: readonly [ApiError, ...ApiError[]]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ApiErrors';
    this.errors = errors;
  }
}

/** The same text for a missing row and a hidden one, so existence never leaks. */
export const notFound = (type: string, id: string): ApiError =>
  new ApiError('RESOURCE_NOT_FOUND', { detail: `No ${type} with id ${JSON.stringify(id)}`, meta: { type, id } });
