/**
 * `google.rpc.Code` values (googleapis google/rpc/code.proto) that OTLP failure bodies carry in `Status.code`.
 * The OTLP spec does not use the code ("clients are not expected to alter their behavior based on Status.code"),
 * so it is informational; the HTTP status is what clients act on.
 */
export const rpcCode = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type RpcCode = (typeof rpcCode)[keyof typeof rpcCode];

/**
 * Every failure the OTLP receiver answers with a `google.rpc.Status` body (opentelemetry-proto
 * docs/specification.md, "OTLP/HTTP Response" → "Failures"). One table: the routes read the HTTP status from it.
 */
export const otlpErrorCatalog = {
  /** "Bad Data": the body cannot be decoded (spec: MUST respond 400, client MUST NOT retry). */
  UNDECODABLE_BODY: { httpStatus: 400, rpcCode: rpcCode.INVALID_ARGUMENT },
  /** Body over the limit, raw or after decompression (spec 1.11.0: MUST respond 413). */
  BODY_TOO_LARGE: { httpStatus: 413, rpcCode: rpcCode.RESOURCE_EXHAUSTED },
  /** Content-Type other than application/x-protobuf or application/json (the Collector answers 415 too). */
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, rpcCode: rpcCode.INVALID_ARGUMENT },
  /** Content-Encoding other than gzip/identity: RFC 9110 §15.5.16 names 415 for an unsupported content coding. */
  UNSUPPORTED_CONTENT_ENCODING: { httpStatus: 415, rpcCode: rpcCode.INVALID_ARGUMENT },
  /** A malformed request other than its body (a trace id that is not 32 hex digits, an unknown `format`). */
  BAD_REQUEST: { httpStatus: 400, rpcCode: rpcCode.INVALID_ARGUMENT },
  /** No valid bearer token where one is required (OTLP_INGEST_TOKENS set; reading traces back). */
  UNAUTHENTICATED: { httpStatus: 401, rpcCode: rpcCode.UNAUTHENTICATED },
  /** An authenticated actor that may not do this (an actor type that does not send telemetry). */
  PERMISSION_DENIED: { httpStatus: 403, rpcCode: rpcCode.PERMISSION_DENIED },
  /** Too many failed authentications from this address (the auth plugin's limiter): retry after Retry-After. */
  AUTHENTICATION_THROTTLED: { httpStatus: 429, rpcCode: rpcCode.RESOURCE_EXHAUSTED },
  /** No such route under the OTLP prefixes, or no stored span of the trace asked for. */
  NOT_FOUND: { httpStatus: 404, rpcCode: rpcCode.NOT_FOUND },
  /** A method other than POST on an export path (the Collector answers 405 too). */
  METHOD_NOT_ALLOWED: { httpStatus: 405, rpcCode: rpcCode.UNIMPLEMENTED },
  /** Every pipeline busy and the wait queue full: retryable ("429 Too Many Requests", with Retry-After). */
  PIPELINE_OVERLOADED: { httpStatus: 429, rpcCode: rpcCode.RESOURCE_EXHAUSTED },
  /** The run exceeded OTLP_PIPELINE_TIMEOUT_MS (a slow body or a blocked database): retryable 503. */
  PIPELINE_TIMEOUT: { httpStatus: 503, rpcCode: rpcCode.DEADLINE_EXCEEDED },
  /** PostgreSQL does not answer: nothing was stored, retryable 503 with Retry-After. */
  DATABASE_UNAVAILABLE: { httpStatus: 503, rpcCode: rpcCode.UNAVAILABLE },
  /** A bug on our side: never a client's mistake (those are 4xx). */
  INTERNAL: { httpStatus: 500, rpcCode: rpcCode.INTERNAL },
} as const satisfies Record<string, { readonly httpStatus: number; readonly rpcCode: RpcCode }>;

export type OtlpErrorCode = keyof typeof otlpErrorCatalog;

/**
 * The one error type of the OTLP protocol core. The message is developer-facing English that says what failed; it
 * becomes `Status.message`. Causes (zlib errors, protobufjs range errors, JSON syntax errors) stay on `cause`.
 */
export class OtlpError extends Error {
  readonly code: OtlpErrorCode;
  readonly httpStatus: number;
  readonly rpcCode: RpcCode;
  /** Seconds for a `Retry-After` header (retryable 429/503 answers: "the client SHOULD honor" it). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: OtlpErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OtlpError';
    this.code = code;
    this.httpStatus = otlpErrorCatalog[code].httpStatus;
    this.rpcCode = otlpErrorCatalog[code].rpcCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A body that cannot be decoded at all (400); `detail` says what failed, in words a developer can act on. */
export function undecodable(detail: string, cause?: unknown): OtlpError {
  return new OtlpError('UNDECODABLE_BODY', detail, cause === undefined ? {} : { cause });
}
