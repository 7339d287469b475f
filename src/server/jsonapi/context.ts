import type { FastifyRequest } from 'fastify';
import type { OperationContext } from '../../jsonapi/context.ts';

/** `http://host:port` as the client addressed us (behind a proxy, with trustProxy, as the proxy was addressed). */
export const requestOrigin = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/**
 * The operation context of a request. Authentication and read policies are not in place yet: there is no actor and
 * every row is visible. They plug in here (actor from the bearer token, scope compiled from the policies), and every
 * operation already applies `scope` on every read path.
 */
export function operationContext(request: FastifyRequest): OperationContext {
  return { registry: request.server.registry, db: request.server.db, actor: undefined, scope: () => undefined, origin: requestOrigin(request) };
}
