import type { ResourceDefinition } from '../define.ts';
import { buildActions } from './build-actions.ts';
import { buildAttributes, buildIdentities, buildIndexes } from './build-attributes.ts';
import { buildJsonApi } from './build-json-api.ts';
import { checkFieldPolicies, checkPolicies } from './build-policies.ts';
import { buildRelationships } from './build-relationships.ts';
import { checkLiteral, report, type ResourceContext } from './context.ts';
import { checkExpr } from './check-expressions.ts';
import { DefinitionError, type DefinitionIssue } from './errors.ts';
import { camelCase, isSnakeCase } from './names.ts';
import type { Model, ResourceModel } from './types.ts';

export interface LoadedResource {
  /** Path relative to the working directory, used in every message about this resource. */
  readonly file: string;
  readonly definition: ResourceDefinition;
}

/** A resource whose records authenticate: its token attribute holds hashes and must never be shown. */
function checkAuthentication(ctx: ResourceContext): ResourceModel['authentication'] {
  const spec = ctx.definition.authentication;
  if (spec === undefined) return undefined;
  const token = ctx.definition.attributes[spec.tokenAttribute];
  if (token === undefined) report(ctx, 'UNKNOWN_ATTRIBUTE', 'authentication.tokenAttribute', `'${spec.tokenAttribute}' is not an attribute of ${ctx.definition.name}`);
  else if (token.spec.public || (token.spec.kind !== 'string' && token.spec.kind !== 'text')) {
    report(ctx, 'INVALID_VALUE', 'authentication.tokenAttribute', `'${spec.tokenAttribute}' must be a private string attribute`);
  }
  for (const name of spec.actorAttributes ?? []) {
    if (!(name in ctx.definition.attributes)) report(ctx, 'UNKNOWN_ATTRIBUTE', 'authentication.actorAttributes', `'${name}' is not an attribute of ${ctx.definition.name}`);
  }
  if (!isSnakeCase(spec.actorType)) report(ctx, 'INVALID_NAME', 'authentication.actorType', `'${spec.actorType}' must be snake_case`);
  return { tokenAttribute: spec.tokenAttribute, actorType: spec.actorType, actorAttributes: [...(spec.actorAttributes ?? [])] };
}

function buildResource(ctx: ResourceContext, index: ReadonlyMap<string, ResourceDefinition>): ResourceModel | undefined {
  const { definition } = ctx;
  if (!isSnakeCase(definition.name)) report(ctx, 'INVALID_NAME', 'name', `'${definition.name}' must be snake_case`);
  if (!isSnakeCase(definition.table)) report(ctx, 'INVALID_NAME', 'table', `'${definition.table}' must be snake_case`);
  if (!isSnakeCase(definition.domain)) report(ctx, 'INVALID_NAME', 'domain', `'${definition.domain}' must be snake_case`);
  const { attributes, primaryKey } = buildAttributes(ctx);
  for (const attribute of attributes) {
    const override = attribute.spec.readAs;
    if (override === undefined) continue;
    checkExpr(ctx, index, `attributes.${attribute.name}.readAs.when`, override.when, new Set());
    checkLiteral(ctx, `attributes.${attribute.name}.readAs.value`, attribute.spec, override.value);
  }
  const attributeNames = new Set(attributes.map((a) => a.name));
  const identities = buildIdentities(ctx, attributeNames);
  const relationships = buildRelationships(ctx, index);
  const actions = buildActions(ctx, index, attributes);
  const indexes = buildIndexes(ctx, attributes, actions);
  const policies = checkPolicies(ctx, index, actions);
  const fieldPolicies = checkFieldPolicies(ctx, index, actions);
  const authentication = checkAuthentication(ctx);
  const jsonApi = buildJsonApi(ctx, index, actions, relationships);
  if (primaryKey === undefined) return undefined;
  return {
    name: definition.name,
    file: ctx.file,
    domain: definition.domain,
    table: definition.table,
    tableIdentifier: camelCase(definition.table),
    ...(definition.description === undefined ? {} : { description: definition.description }),
    attributes,
    primaryKey,
    identities,
    indexes,
    relationships,
    actions,
    policies,
    fieldPolicies,
    ...(authentication === undefined ? {} : { authentication }),
    ...(jsonApi === undefined ? {} : { jsonApi }),
  };
}

/** Names that must be unique across all resources: resource names, tables, JSON:API types, route paths, operationIds. */
function checkUniqueAcross(resources: readonly ResourceModel[], issues: DefinitionIssue[]): void {
  const claims = new Map<string, string>();
  const claim = (key: string, resource: ResourceModel, member: string, what: string): void => {
    const owner = claims.get(key);
    if (owner === undefined) claims.set(key, resource.file);
    else issues.push({ code: 'DUPLICATE_NAME', file: resource.file, member: `${resource.name}.${member}`, detail: `${what} is already used by ${owner}` });
  };
  for (const resource of resources) {
    claim(`name:${resource.name}`, resource, 'name', `resource name '${resource.name}'`);
    claim(`table:${resource.table}`, resource, 'table', `table '${resource.table}'`);
    if (resource.jsonApi === undefined) continue;
    claim(`type:${resource.jsonApi.type}`, resource, 'jsonApi.type', `JSON:API type '${resource.jsonApi.type}'`);
    claim(`base:${resource.jsonApi.base}`, resource, 'jsonApi.base', `route base '${resource.jsonApi.base}'`);
    for (const [position, route] of resource.jsonApi.routes.entries()) {
      claim(`route:${route.method} ${route.path}`, resource, `jsonApi.routes[${position}]`, `route ${route.method} ${route.path}`);
      claim(`operation:${route.operationId}`, resource, `jsonApi.routes[${position}]`, `operationId '${route.operationId}'`);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Checks every resource definition and normalizes them into one frozen Model. Throws a DefinitionError listing
 * every problem (file and member) so codegen and server start fail the same way.
 */
export function buildModel(loaded: readonly LoadedResource[]): Model {
  const issues: DefinitionIssue[] = [];
  const index = new Map(loaded.map((l) => [l.definition.name, l.definition]));
  const resources: ResourceModel[] = [];
  for (const { file, definition } of loaded) {
    const built = buildResource({ file, definition, issues }, index);
    if (built !== undefined) resources.push(built);
  }
  checkUniqueAcross(resources, issues);
  if (issues.length > 0) throw new DefinitionError(issues);
  return deepFreeze({ resources: [...resources].sort((a, b) => a.name.localeCompare(b.name)) });
}
