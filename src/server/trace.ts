import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i;
const plainId = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request's trace id: W3C `traceparent` first, then `x-trace-id` (the original's header), else a new one.
 * Events the request causes carry it, and the response echoes it in `x-trace-id`.
 */
export function traceIdOf(request: FastifyRequest): string {
  const parent = request.headers['traceparent'];
  const fromParent = typeof parent === 'string' ? traceparent.exec(parent.trim())?.[1] : undefined;
  if (fromParent !== undefined && !/^0+$/.test(fromParent)) return fromParent.toLowerCase();
  const given = request.headers['x-trace-id'];
  if (typeof given === 'string' && plainId.test(given.trim())) return given.trim();
  // randomUUID draws from a cached entropy pool (randomBytes would make a system call per request).
  return randomUUID().replaceAll('-', '');
}
