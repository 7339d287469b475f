import type { ActionType, RouteKind, RouteSpec } from '../define.ts';
import { report, type DefinitionIndex, type ResourceContext } from './context.ts';
import { camelCase, isSnakeCase, pascalCase } from './names.ts';
import type { ActionModel, JsonApiModel, RelationshipModel, RouteModel } from './types.ts';

export const jsonApiPrefix = '/api/json';

/** A resource's page sizes when its file does not set them. */
const defaultPage = { default: 50, max: 500, maxIncluded: 5000 } as const;
/** Page size, its maximum and the include budget of a resource, its file's or the defaults (one place for both). */
export const pageSizes = (resource: { readonly jsonApi?: JsonApiModel | undefined }): JsonApiModel['page'] => resource.jsonApi?.page ?? defaultPage;

interface RouteKindRule {
  readonly method: RouteModel['method'];
  readonly actionType: ActionType;
  readonly member: boolean;
  readonly path: (relationship: string) => string;
  readonly operationId: (type: string, table: string, action: string, relationship: string) => string;
}

const standardOperation = (verb: string, action: string, actionType: ActionType, type: string): string =>
  action === actionType ? `${verb}${pascalCase(type)}` : `${camelCase(action)}${pascalCase(type)}`;

/** One rule per route kind: HTTP method, action type, default path and default operationId. */
const routeRules: { readonly [K in RouteKind]: RouteKindRule } = {
  index: { method: 'GET', actionType: 'read', member: false, path: () => '/', operationId: (_t, table) => `list${pascalCase(table)}` },
  get: { method: 'GET', actionType: 'read', member: true, path: () => '/:id', operationId: (type) => `get${pascalCase(type)}` },
  post: { method: 'POST', actionType: 'create', member: false, path: () => '/', operationId: (type, _t, a) => standardOperation('create', a, 'create', type) },
  patch: { method: 'PATCH', actionType: 'update', member: true, path: () => '/:id', operationId: (type, _t, a) => standardOperation('update', a, 'update', type) },
  delete: { method: 'DELETE', actionType: 'destroy', member: true, path: () => '/:id', operationId: (type, _t, a) => standardOperation('delete', a, 'destroy', type) },
  related: { method: 'GET', actionType: 'read', member: true, path: (r) => `/:id/${r}`, operationId: (type, _t, _a, r) => `get${pascalCase(type)}${pascalCase(r)}` },
  relationship: {
    method: 'GET',
    actionType: 'read',
    member: true,
    path: (r) => `/:id/relationships/${r}`,
    operationId: (type, _t, _a, r) => `get${pascalCase(type)}${pascalCase(r)}Relationship`,
  },
  action: {
    method: 'POST',
    actionType: 'update',
    member: false,
    path: () => '/',
    operationId: (type, _t, a) => `${camelCase(a)}${pascalCase(type)}`,
  },
  patch_relationship: {
    method: 'PATCH',
    actionType: 'update',
    member: true,
    path: (r) => `/:id/relationships/${r}`,
    operationId: (type, _t, _a, r) => `update${pascalCase(type)}${pascalCase(r)}Relationship`,
  },
};

const pathSegment = /^([a-z0-9][a-z0-9_-]*|:id)$/;

function buildRoute(
  ctx: ResourceContext,
  member: string,
  spec: RouteSpec,
  names: { readonly type: string; readonly base: string },
  actions: ReadonlyMap<string, ActionModel>,
  relationships: ReadonlyMap<string, RelationshipModel>,
): RouteModel {
  const rule = routeRules[spec.kind];
  const action = actions.get(spec.action);
  if (action === undefined) report(ctx, 'UNKNOWN_ACTION', member, `'${spec.action}' is not an action of ${ctx.definition.name}`);
  else if (action.type !== rule.actionType) {
    report(ctx, 'WRONG_ACTION_TYPE', member, `a ${spec.kind} route needs a ${rule.actionType} action; '${spec.action}' is ${action.type}`);
  }
  const relationship = spec.relationship ?? '';
  if (spec.relationship !== undefined && !relationships.has(spec.relationship)) {
    report(ctx, 'UNKNOWN_RELATIONSHIP', member, `'${spec.relationship}' is not a relationship of ${ctx.definition.name}`);
  }
  if (spec.kind === 'action' && action !== undefined && action.target === undefined) {
    report(ctx, 'INVALID_ROUTE', member, `an action route runs an update with a target (it picks its own row); '${spec.action}' has none`);
  }
  if (spec.kind !== 'action' && action?.target !== undefined) {
    report(ctx, 'INVALID_ROUTE', member, `'${spec.action}' picks its own row: declare it with route.action(...)`);
  }
  if (spec.kind === 'patch_relationship' && relationships.get(relationship)?.cardinality === 'many') {
    report(ctx, 'INVALID_ROUTE', member, `patch_relationship supports to-one relationships; '${relationship}' is to-many`);
  }
  const path = spec.path ?? rule.path(relationship);
  const segments = path.split('/').slice(1);
  const wellFormed = path === '/' || (path.startsWith('/') && segments.every((s) => pathSegment.test(s)));
  if (!wellFormed) report(ctx, 'INVALID_ROUTE', member, `path '${path}' must be '/' or '/'-separated lower-case segments and ':id'`);
  if (rule.member !== segments.includes(':id')) {
    report(ctx, 'INVALID_ROUTE', member, `a ${spec.kind} route ${rule.member ? 'needs' : 'must not have'} ':id' in its path ('${path}')`);
  }
  return {
    kind: spec.kind,
    method: rule.method,
    path: `${jsonApiPrefix}${names.base}${path === '/' ? '' : path}`,
    action: spec.action,
    ...(spec.relationship === undefined ? {} : { relationship: spec.relationship }),
    operationId: spec.name ?? rule.operationId(names.type, ctx.definition.table, spec.action, relationship),
    ...(spec.description === undefined ? {} : { description: spec.description }),
  };
}

/** Every include path must follow relationships that exist, from this resource on. */
function checkIncludes(ctx: ResourceContext, index: DefinitionIndex, includes: readonly string[]): void {
  for (const path of includes) {
    let current = ctx.definition;
    for (const segment of path.split('.')) {
      const relationship = current.relationships?.[segment];
      const next = relationship === undefined ? undefined : index.get(relationship.destination);
      if (next === undefined) {
        report(ctx, 'UNKNOWN_RELATIONSHIP', 'jsonApi.includes', `'${path}': '${segment}' is not a relationship of ${current.name}`);
        break;
      }
      current = next;
    }
  }
}

export function buildJsonApi(
  ctx: ResourceContext,
  index: DefinitionIndex,
  actions: readonly ActionModel[],
  relationships: readonly RelationshipModel[],
): JsonApiModel | undefined {
  const spec = ctx.definition.jsonApi;
  if (spec === undefined) return undefined;
  const type = spec.type ?? ctx.definition.name;
  const base = spec.base ?? `/${ctx.definition.table}`;
  if (!isSnakeCase(type)) report(ctx, 'INVALID_NAME', 'jsonApi.type', `'${type}' must be snake_case`);
  if (!/^\/[a-z0-9][a-z0-9_-]*$/.test(base)) report(ctx, 'INVALID_ROUTE', 'jsonApi.base', `'${base}' must be one path segment like '/work_items'`);
  const page = { ...defaultPage, ...spec.page };
  if (!(Number.isInteger(page.default) && Number.isInteger(page.max) && page.default >= 1 && page.default <= page.max)) {
    report(ctx, 'INVALID_CONSTRAINT', 'jsonApi.page', `need 1 <= default (${page.default}) <= max (${page.max})`);
  }
  if (!(Number.isInteger(page.maxIncluded) && page.maxIncluded >= 1)) {
    report(ctx, 'INVALID_CONSTRAINT', 'jsonApi.page.maxIncluded', `need a positive integer, got ${page.maxIncluded}`);
  }
  const includes = spec.includes ?? [];
  checkIncludes(ctx, index, includes);
  const actionsByName = new Map(actions.map((a) => [a.name, a]));
  const relationshipsByName = new Map(relationships.map((r) => [r.name, r]));
  const routes = spec.routes.map((route, position) =>
    buildRoute(ctx, `jsonApi.routes[${position}]`, route, { type, base }, actionsByName, relationshipsByName),
  );
  return { type, base, routes, includes: [...includes], page };
}
