/**
 * `google.rpc.Code` values (googleapis google/rpc/code.proto) that OTLP failure bodies carry in `Status.code`.
 * The OTLP spec does not use the code ("clients are not expected to alter their behavior based on Status.code"),
 * so it is informational; the HTTP status is what clients act on.
 */
export const rpcCode = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
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

  constructor(code: OtlpErrorCode, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OtlpError';
    this.code = code;
    this.httpStatus = otlpErrorCatalog[code].httpStatus;
    this.rpcCode = otlpErrorCatalog[code].rpcCode;
  }
}

/** A body that cannot be decoded at all (400); `detail` says what failed, in words a developer can act on. */
export function undecodable(detail: string, cause?: unknown): OtlpError {
  return new OtlpError('UNDECODABLE_BODY', detail, cause === undefined ? {} : { cause });
}
