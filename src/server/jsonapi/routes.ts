import type { FastifyInstance } from 'fastify';
import type { ResourceModel, RouteModel } from '../../../resources/model/index.ts';
import { ApiError } from '../../jsonapi/errors.ts';
import { createAjv, type Ajv2020 } from '../../jsonapi/body/ajv.ts';
import { compileBodyValidator, compileLinkageValidator } from '../../jsonapi/body/validate-body.ts';
import type { Registry } from '../../runtime/registry.ts';
import type { RouteSetup } from '../../jsonapi/route-setup.ts';
import { atomicHandler, atomicPath } from './atomic.ts';
import { handlerFactories } from './handlers.ts';
import { negotiate } from './negotiation.ts';

function setupFor(registry: Registry, ajv: Ajv2020, resource: ResourceModel, route: RouteModel): RouteSetup {
  const action = resource.actions.find((a) => a.name === route.action);
  if (action === undefined) throw new Error(`${resource.name}: route ${route.operationId} names a missing action`);
  const relationship = route.relationship === undefined ? undefined : resource.relationships.find((r) => r.name === route.relationship);
  const schemas = registry.schemas(resource);
  const bodySchema = action.type === 'read' ? undefined : schemas.actions[action.name];
  const linkageSchema = route.kind === 'patch_relationship' && relationship !== undefined ? schemas.relationships[relationship.name] : undefined;
  return {
    resource,
    route,
    action,
    relationship,
    body: bodySchema === undefined ? undefined : compileBodyValidator(ajv, bodySchema),
    linkage: linkageSchema === undefined ? undefined : compileLinkageValidator(ajv, linkageSchema),
  };
}

const allMethods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'] as const;

/** Known paths answer other methods with a JSON:API 405 naming the allowed ones. */
function registerMethodNotAllowed(app: FastifyInstance, routes: readonly Pick<RouteModel, 'path' | 'method'>[]): void {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) byPath.set(route.path, (byPath.get(route.path) ?? new Set()).add(route.method));
  for (const [path, methods] of byPath) {
    const others = allMethods.filter((m) => !methods.has(m));
    if (others.length === 0) continue;
    const allow = [...methods].join(', ');
    app.route({
      method: [...others],
      url: path,
      handler: async (request, reply) => {
        void reply.header('allow', allow);
        throw new ApiError('METHOD_NOT_ALLOWED', { detail: `${request.method} is not allowed here; use ${allow}` });
      },
    });
  }
}

/**
 * What every JSON:API request passes before its handler, in this plugin scope: content negotiation, then
 * authentication (anonymous when there is no Authorization header; policies decide). bench/jsonapi puts its
 * hand-written baseline behind the same hooks to measure what the engine itself costs.
 */
export function addJsonApiRequestHooks(app: FastifyInstance): void {
  app.addHook('onRequest', negotiate);
  app.addHook('onRequest', async (request) => {
    await app.authenticate(request);
  });
}

/**
 * The JSON:API surface: one concrete Fastify route per route a resource file declares, each with its own compiled
 * body schema, all served by the generic handlers. Content negotiation applies to these routes only.
 */
export async function jsonApiRoutes(app: FastifyInstance, options: { readonly registry: Registry }): Promise<void> {
  addJsonApiRequestHooks(app);
  const ajv = createAjv();
  const setups: RouteSetup[] = [];
  for (const resource of options.registry.model.resources) {
    for (const route of resource.jsonApi?.routes ?? []) {
      const setup = setupFor(options.registry, ajv, resource, route);
      app.route({ method: route.method, url: route.path, handler: handlerFactories[route.kind](setup) });
      setups.push(setup);
    }
  }
  app.post(atomicPath, atomicHandler(setups));
  registerMethodNotAllowed(app, [...setups.map((s) => ({ path: s.route.path, method: s.route.method })), { path: atomicPath, method: 'POST' }]);
}
