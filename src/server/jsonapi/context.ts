import type { SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { ResourceModel } from '../../../resources/model/index.ts';
import { primaryReadAction, readScope } from '../../actions/run-action.ts';
import type { OperationContext } from '../../jsonapi/context.ts';
import { hiddenFields } from '../../policies/fields.ts';

/** `http://host:port` as the client addressed us (behind a proxy, with trustProxy, as the proxy was addressed). */
export const requestOrigin = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/** Computes once per request and resource. */
function perResource<T>(compute: (resource: ResourceModel) => T): (resource: ResourceModel) => T {
  const known = new Map<string, T>();
  return (resource) => {
    if (!known.has(resource.name)) known.set(resource.name, compute(resource));
    return known.get(resource.name) as T;
  };
}

/**
 * The operation context of a request: the authenticated actor, its read scope per resource (read policies compiled to
 * SQL, applied on every read path), the fields it may not see, and the policy context (AGENT_REGISTRATION).
 */
export function operationContext(request: FastifyRequest): OperationContext {
  const { registry, db } = request.server;
  const policyContext = request.server.serverContext;
  const actionContext = { registry, db, actor: request.actor, context: policyContext };
  return {
    registry,
    db,
    actor: request.actor,
    context: policyContext,
    scope: perResource<SQL | undefined>((resource) => readScope(actionContext, resource)),
    hidden: perResource((resource) =>
      hiddenFields({ registry, resource, action: primaryReadAction(resource), actor: request.actor, context: policyContext }),
    ),
    origin: requestOrigin(request),
    policyContext,
    events: request.server.eventSink,
    traceId: request.traceId,
    observe: request.server.observeAction,
  };
}
