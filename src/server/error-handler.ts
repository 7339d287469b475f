import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, ApiErrors, errorCatalog, type ErrorCode } from '../jsonapi/errors.ts';
import { databaseError } from '../db/sql-errors.ts';

export const jsonApiMediaType = 'application/vnd.api+json';

/** Fastify's own 4xx errors (body parsing, size, media type), mapped onto the catalog by status. */
const codeForStatus: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

const isFastifyError = (error: unknown): error is FastifyError =>
  error instanceof Error && typeof (error as FastifyError).statusCode === 'number';

/** Normalizes anything thrown into catalog errors (tRPC's getTRPCErrorFromUnknown): unknown values become 500. */
export function toApiErrors(error: unknown): readonly ApiError[] {
  if (error instanceof ApiErrors) return error.errors;
  if (error instanceof ApiError) return [error];
  const database = databaseError(error);
  if (database !== undefined) return [database];
  if (isFastifyError(error) && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    const code: ErrorCode = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      ? 'INVALID_BODY'
      : (codeForStatus[error.statusCode] ?? 'BAD_REQUEST');
    return [new ApiError(code, { detail: error.message, cause: error })];
  }
  return [new ApiError('INTERNAL_ERROR', { detail: 'The server failed to process the request', cause: error })];
}

/** JSON:API: with several errors, the most generally applicable status (400 for mixed 4xx). */
export function overallStatus(errors: readonly ApiError[]): number {
  const statuses = new Set(errors.map((e) => e.status));
  if (statuses.size === 1) return errors[0]?.status ?? 500;
  if ([...statuses].some((s) => s >= 500)) return 500;
  return 400;
}

export function pointerFor(error: ApiError): string | undefined {
  const field = error.options.field;
  if (field === undefined) return undefined;
  return field.kind === 'relationship' ? `/data/relationships/${field.name}` : `/data/attributes/${field.name}`;
}

export function errorObject(error: ApiError): Record<string, unknown> {
  const pointer = error.options.source?.pointer ?? pointerFor(error);
  const source = { ...error.options.source, ...(pointer === undefined ? {} : { pointer }) };
  return {
    status: String(error.status),
    code: error.code,
    title: error.title,
    ...(error.status >= 500 && error.code === 'INTERNAL_ERROR' ? {} : { detail: error.message }),
    ...(Object.keys(source).length === 0 ? {} : { source }),
    ...(error.options.meta === undefined ? {} : { meta: error.options.meta }),
  };
}

/** The only place error bodies are written: `{ errors: [...] }` as application/vnd.api+json. No SQL, no stacks. */
export async function sendErrors(request: FastifyRequest, reply: FastifyReply, errors: readonly ApiError[]): Promise<FastifyReply> {
  const status = overallStatus(errors);
  for (const error of errors) {
    if (error.status >= 500) request.log.error({ err: error.options.cause ?? error, code: error.code }, error.message);
  }
  const retryAfter = Math.max(0, ...errors.map((e) => e.options.retryAfter ?? 0));
  if (retryAfter > 0) void reply.header('retry-after', String(retryAfter));
  // RFC 9110 §11.6.1: a 401 names the scheme to authenticate with.
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="self-sustaining"');
  return reply.status(status).type(jsonApiMediaType).send({ errors: errors.map(errorObject) });
}

/** Error and not-found handling for the whole server (OTLP routes answer in OTLP through their own handler). */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(async (error, request, reply) => sendErrors(request, reply, toApiErrors(error)));
  app.setNotFoundHandler(async (request, reply) =>
    sendErrors(request, reply, [new ApiError('ROUTE_NOT_FOUND', { detail: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` })]),
  );
});

export const catalogCodes = Object.keys(errorCatalog) as ErrorCode[];
