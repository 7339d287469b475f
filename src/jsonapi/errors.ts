/** Every error code the API can answer with. One table: statuses, titles, the OpenAPI document and tests read it. */
export const errorCatalog = {
  RESOURCE_NOT_FOUND: { status: 404, title: 'Resource not found' },
  RELATED_RESOURCE_NOT_FOUND: { status: 404, title: 'Related resource not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Route not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  INVALID_BODY: { status: 400, title: 'Invalid request body' },
  INVALID_QUERY_PARAMETER: { status: 400, title: 'Invalid query parameter' },
  INVALID_FILTER: { status: 400, title: 'Invalid filter' },
  INVALID_SORT: { status: 400, title: 'Invalid sort' },
  INVALID_INCLUDE: { status: 400, title: 'Invalid include' },
  INVALID_FIELDS: { status: 400, title: 'Invalid sparse fieldset' },
  INVALID_PAGE: { status: 400, title: 'Invalid pagination' },
  TOO_MANY_OPERATIONS: { status: 400, title: 'Too many atomic operations' },
  CLIENT_ID_NOT_ALLOWED: { status: 403, title: 'Client-generated ids are not supported' },
  UNAUTHORIZED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests' },
  TYPE_MISMATCH: { status: 409, title: 'Type or id does not match the endpoint' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  INPUT_NOT_ACCEPTED: { status: 400, title: 'Input not accepted by this action' },
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  STATE_CONFLICT: { status: 409, title: 'Action does not apply in the current state' },
  CONFLICT: { status: 409, title: 'Conflicts with an existing resource' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { readonly status: number; readonly title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

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
