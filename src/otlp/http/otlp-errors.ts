import { Buffer } from 'node:buffer';
import { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, isStatementTimeout } from '../../db/sql-errors.ts';
import { contentTypeOf, otlpEncodingOf, type OtlpEncoding } from '../content-type.ts';
import { OtlpError } from '../errors.ts';
import { encodeRpcStatus, statusOf } from '../response.ts';

/** Retry-After of an unavailable database (the JSON:API routes send the same). */
export const databaseRetryAfterSeconds = 5;

/** How long a connection answered before its body arrived keeps discarding the rest before it is closed. */
export const lingerMs = 5000;

/**
 * Lingering close, as Apache and nginx do it. With `Connection: close` Node closes the socket as soon as the answer
 * is written; closing a socket whose input was not all read makes the kernel send RST, and a client still uploading
 * its body can lose our answer (a 429 with its Retry-After, a 413) to that reset. So this socket only half-closes
 * (FIN after the answer), goes on reading and discarding what the client still sends (Node dumps an unread request
 * body; nothing is buffered), and closes when the client does, or after `ms`. Node's server ends a `Connection:
 * close` response through `socket.destroySoon()`; this replaces it on this one socket. `app.inject` has no socket.
 */
export function lingerOnClose(socket: unknown, ms: number): void {
  if (!(socket instanceof Socket)) return;
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

/** The request's OTLP encoding, or JSON when it has none we know (a GET, a 415, a 404). */
export function responseEncoding(request: FastifyRequest): OtlpEncoding {
  return otlpEncodingOf(request.headers['content-type']) ?? 'json';
}

const isStatusError = (error: unknown): error is Error & { statusCode: number } =>
  error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number';

/**
 * Anything thrown on an OTLP route as an OtlpError: our own pass through; Fastify's 4xx keep their status;
 * a timed-out statement is PIPELINE_TIMEOUT and an unreachable database DATABASE_UNAVAILABLE (both retryable 503);
 * anything else is INTERNAL (500, logged, no detail sent).
 */
export function toOtlpError(error: unknown): OtlpError {
  if (error instanceof OtlpError) return error;
  // On OTLP routes the statement timeout is the pipeline's time left (SET LOCAL in its transaction).
  if (isStatementTimeout(error)) {
    return new OtlpError('PIPELINE_TIMEOUT', 'the pipeline exceeded its time limit while storing; nothing was stored', {
      cause: error,
      retryAfterSeconds: 1,
    });
  }
  if (isDatabaseUnavailable(error)) {
    return new OtlpError('DATABASE_UNAVAILABLE', 'the database is unavailable; nothing was stored, retry shortly', {
      cause: error,
      retryAfterSeconds: databaseRetryAfterSeconds,
    });
  }
  if (isStatusError(error) && error.statusCode >= 400 && error.statusCode < 500) {
    const code =
      error.statusCode === 413
        ? 'BODY_TOO_LARGE'
        : error.statusCode === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : error.statusCode === 404
            ? 'NOT_FOUND'
            : error.statusCode === 405
              ? 'METHOD_NOT_ALLOWED'
              : 'BAD_REQUEST';
    return new OtlpError(code, error.message, { cause: error });
  }
  return new OtlpError('INTERNAL', 'the server failed to process the request', { cause: error });
}

/**
 * The one writer of OTLP failure bodies: a google.rpc.Status in the request's encoding ("MUST be a
 * Protobuf-encoded Status message" / JSON for JSON requests), Retry-After on retryable answers, and
 * `Connection: close` when the request body was not read to its end (the rest is not worth reading).
 */
export async function sendOtlpError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: OtlpError,
): Promise<FastifyReply> {
  if (error.httpStatus >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, error.message);
  else request.log.info({ code: error.code }, error.message);
  const encoding = responseEncoding(request);
  if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer');
  const unread = request.raw.complete !== true;
  if (error.code === 'PIPELINE_OVERLOADED' || unread) void reply.header('connection', 'close');
  if (unread) lingerOnClose(request.raw.socket, lingerMs);
  return reply
    .code(error.httpStatus)
    .type(contentTypeOf[encoding])
    .send(Buffer.from(encodeRpcStatus(encoding, statusOf(error))));
}
