import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../jsonapi/errors.ts';
import { overallStatus, toApiErrors } from '../error-handler.ts';

/**
 * The original coordination API's envelope: `{"status":"ok","data":...}` and
 * `{"status":"error","error":"<code>","message":"...","details":[{"field","message"}]}`.
 */
export const ok = (data: unknown, extra: Record<string, unknown> = {}) => ({ status: 'ok', data, ...extra });

/** The member an error is about, in the flat body's terms: `priority`, `payload.velocity_points`. */
function fieldOf(error: ApiError): string | null {
  const pointer = error.options.source?.pointer;
  if (pointer !== undefined && pointer.startsWith('/data/attributes/')) return pointer.slice('/data/attributes/'.length).split('/').join('.');
  return error.options.field?.name ?? error.options.source?.parameter ?? null;
}

function details(errors: readonly ApiError[]): { field: string | null; message: string }[] {
  return errors.map((e) => ({ field: fieldOf(e), message: e.message }));
}

/** The error handler of the coordination routes: the same catalog and statuses as everywhere, in the envelope. */
export async function sendEnvelopeError(request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<FastifyReply> {
  const errors = toApiErrors(error);
  const status = overallStatus(errors);
  const [first] = errors;
  for (const e of errors) if (e.status >= 500) request.log.error({ err: e.options.cause ?? e, code: e.code }, e.message);
  const retryAfter = Math.max(0, ...errors.map((e) => e.options.retryAfter ?? 0));
  if (retryAfter > 0) void reply.header('retry-after', String(retryAfter));
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="self-sustaining"');
  return reply.status(status).send({
    status: 'error',
    error: (first?.code ?? 'INTERNAL_ERROR').toLowerCase(),
    message: first === undefined || first.code === 'INTERNAL_ERROR' ? 'The server failed to process the request' : first.message,
    ...(errors.length > 1 || (first !== undefined && fieldOf(first) !== null) ? { details: details(errors) } : {}),
  });
}
