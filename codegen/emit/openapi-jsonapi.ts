import type { RouteKind } from '../../resources/define.ts';
import {
  jsonApiPrefix,
  jsonApiType,
  type ActionModel,
  type Model,
  type RelationshipModel,
  type ResourceModel,
  type RouteModel,
} from '../../resources/model/index.ts';
import type { ErrorCode } from '../../resources/contracts/index.ts';
import { errorResponses, ref } from './openapi-errors.ts';
import { collectionParameters, singleParameters } from './openapi-query.ts';
import { componentName, destinationOf, relationshipDocument, singleDocument, writtenDocument } from './openapi-documents.ts';
import { actionSecurity } from './openapi-security.ts';
import type { JsonSchema } from './map-shapes.ts';

export const jsonApiMediaType = 'application/vnd.api+json';
export const atomicMediaType = 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"';

const content = (schema: JsonSchema, mediaType = jsonApiMediaType) => ({ [mediaType]: { schema } });
const requestContent = (schema: JsonSchema) => ({ [jsonApiMediaType]: { schema }, 'application/json': { schema } });
const idParameter = (resource: ResourceModel): JsonSchema => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${jsonApiType(resource)}'s id (a uuid; anything else is a 404).`,
  schema: { type: 'string' },
});

/** Codes every JSON:API route can give (authentication, negotiation, the server itself). */
const everyRoute: readonly ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_REQUESTS', 'NOT_ACCEPTABLE', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'];
const queried: readonly ErrorCode[] = ['INVALID_QUERY_PARAMETER', 'INVALID_INCLUDE', 'INVALID_FIELDS'];
const collection: readonly ErrorCode[] = [...queried, 'INVALID_FILTER', 'INVALID_SORT', 'INVALID_PAGE'];
const withBody: readonly ErrorCode[] = ['BAD_REQUEST', 'INVALID_BODY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'TYPE_MISMATCH', 'INPUT_NOT_ACCEPTED', 'VALIDATION_FAILED'];

/** Codes a write action can give from the database and its guards. */
function writeCodes(resource: ResourceModel, action: ActionModel): ErrorCode[] {
  const foreignKeys = resource.relationships.filter((r) => r.kind === 'belongs_to' && action.accept.includes(r.sourceAttribute));
  return [
    ...(resource.identities.length > 0 ? (['CONFLICT'] as const) : []),
    ...(foreignKeys.length > 0 ? (['RELATED_RESOURCE_NOT_FOUND'] as const) : []),
    ...(action.type === 'update' || action.type === 'destroy' ? (['STATE_CONFLICT'] as const) : []),
    ...(action.type === 'create' ? (['CLIENT_ID_NOT_ALLOWED'] as const) : []),
    // CHECK and NOT NULL constraints of the table.
    'VALIDATION_FAILED',
  ];
}

interface RouteContext {
  readonly model: Model;
  readonly resource: ResourceModel;
  readonly route: RouteModel;
  readonly action: ActionModel;
  readonly relationship: RelationshipModel | undefined;
}

interface OperationParts {
  readonly parameters: readonly JsonSchema[];
  readonly requestBody?: JsonSchema;
  readonly responses: Record<string, JsonSchema>;
  readonly codes: readonly ErrorCode[];
}

const relationshipOf = (ctx: RouteContext): RelationshipModel => {
  if (ctx.relationship === undefined) throw new Error(`${ctx.route.operationId} has no relationship`);
  return ctx.relationship;
};

const bodyOf = (ctx: RouteContext, required: boolean): JsonSchema => ({
  required,
  description: ctx.action.description ?? `The ${ctx.action.name} action's input.`,
  content: requestContent(ref(componentName.request(ctx.resource, ctx.action.name))),
});

/** One rule per route kind, like the runtime's handler factories (src/server/jsonapi/handlers.ts). */
const operationParts: { readonly [K in RouteKind]: (ctx: RouteContext) => OperationParts } = {
  index: ({ model, resource }) => ({
    parameters: collectionParameters(model, resource),
    responses: { '200': { description: `A page of ${resource.jsonApi?.base.slice(1) ?? resource.name}.`, content: content(ref(componentName.collection(resource))) } },
    codes: collection,
  }),
  get: ({ model, resource }) => ({
    parameters: [idParameter(resource), ...singleParameters(model, resource)],
    responses: { '200': { description: `The ${jsonApiType(resource)}.`, content: content(ref(componentName.document(resource))) } },
    codes: [...queried, 'RESOURCE_NOT_FOUND'],
  }),
  post: (ctx) => ({
    parameters: singleParameters(ctx.model, ctx.resource),
    requestBody: bodyOf(ctx, true),
    responses: {
      '201': {
        description: `The created ${jsonApiType(ctx.resource)}.`,
        headers: { Location: { description: 'The URL of the new resource.', schema: { type: 'string', format: 'uri' } } },
        content: content(writtenDocument(ctx.resource, ctx.action)),
      },
    },
    codes: [...queried, ...withBody, ...writeCodes(ctx.resource, ctx.action)],
  }),
  patch: (ctx) => {
    // A plain update (`/:id`) needs its document; an action route (`/:id/claim`) may be called without a body.
    const plain = ctx.route.path.endsWith('/:id');
    return {
      parameters: [idParameter(ctx.resource), ...singleParameters(ctx.model, ctx.resource)],
      requestBody: bodyOf(ctx, plain),
      responses: { '200': { description: `The ${jsonApiType(ctx.resource)} after ${ctx.action.name}.`, content: content(writtenDocument(ctx.resource, ctx.action)) } },
      codes: [...queried, ...withBody, 'RESOURCE_NOT_FOUND', ...writeCodes(ctx.resource, ctx.action)],
    };
  },
  delete: (ctx) => ({
    parameters: [idParameter(ctx.resource), ...singleParameters(ctx.model, ctx.resource)],
    responses: { '204': { description: 'Deleted.' } },
    codes: [...queried, 'RESOURCE_NOT_FOUND', ...writeCodes(ctx.resource, ctx.action)],
  }),
  related: (ctx) => {
    const relationship = relationshipOf(ctx);
    const destination = destinationOf(ctx.model, relationship);
    const many = relationship.cardinality === 'many';
    return {
      parameters: [idParameter(ctx.resource), ...(many ? collectionParameters(ctx.model, destination) : singleParameters(ctx.model, destination))],
      responses: {
        '200': {
          description: many ? `The related ${relationship.name}, a collection.` : `The related ${relationship.name} (data null when there is none).`,
          content: content(many ? ref(componentName.collection(destination)) : singleDocument(ctx.model, destination, true)),
        },
      },
      codes: [...(many ? collection : queried), 'RESOURCE_NOT_FOUND'],
    };
  },
  relationship: (ctx) => {
    const relationship = relationshipOf(ctx);
    return {
      parameters: [idParameter(ctx.resource), ...singleParameters(ctx.model, ctx.resource)],
      responses: { '200': { description: `Linkage of ${relationship.name}.`, content: content(relationshipDocument(jsonApiType(destinationOf(ctx.model, relationship)), relationship.cardinality)) } },
      codes: [...queried, 'RESOURCE_NOT_FOUND'],
    };
  },
  action: (ctx) => ({
    parameters: singleParameters(ctx.model, ctx.resource),
    requestBody: bodyOf(ctx, false),
    responses: {
      '200': { description: `The ${jsonApiType(ctx.resource)} the action took.`, content: content(writtenDocument(ctx.resource, ctx.action)) },
      '204': { description: 'There was none to take.' },
    },
    codes: [...queried, ...withBody, ...writeCodes(ctx.resource, ctx.action)],
  }),
  patch_relationship: (ctx) => {
    const relationship = relationshipOf(ctx);
    return {
      parameters: [idParameter(ctx.resource)],
      requestBody: { required: true, content: requestContent(ref(componentName.relationshipRequest(ctx.resource, relationship.name))) },
      responses: {
        '200': {
          description: `The new linkage of ${relationship.name} (runs ${ctx.action.name}).`,
          content: content(relationshipDocument(jsonApiType(destinationOf(ctx.model, relationship)), relationship.cardinality)),
        },
      },
      codes: [...withBody, 'RESOURCE_NOT_FOUND', ...writeCodes(ctx.resource, ctx.action)],
    };
  },
};

export const securityRequirement = (security: 'bearer' | 'optional' | 'none'): JsonSchema[] =>
  security === 'bearer' ? [{ bearerAuth: [] }] : security === 'optional' ? [{ bearerAuth: [] }, {}] : [];

/** `/api/json/agents/:id/heartbeat` -> `/api/json/agents/{id}/heartbeat`. */
export const openApiPath = (path: string): string => path.replace(/:([a-z_]+)/g, '{$1}');

export interface PathOperation {
  readonly path: string;
  readonly method: string;
  readonly operation: JsonSchema;
}

const humanize = (name: string): string => {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A one-line summary per route kind. */
const summaries: { readonly [K in RouteKind]: (ctx: RouteContext) => string } = {
  index: (ctx) => `List ${ctx.resource.jsonApi?.base.slice(1) ?? ctx.resource.table}`,
  get: (ctx) => `Get one ${jsonApiType(ctx.resource)}`,
  post: (ctx) => `${humanize(ctx.action.name)} (${jsonApiType(ctx.resource)})`,
  patch: (ctx) => `${humanize(ctx.action.name)} (${jsonApiType(ctx.resource)})`,
  delete: (ctx) => `${humanize(ctx.action.name)} (${jsonApiType(ctx.resource)})`,
  related: (ctx) => `The ${jsonApiType(ctx.resource)}'s ${ctx.relationship?.name ?? ''}`,
  relationship: (ctx) => `Linkage of ${jsonApiType(ctx.resource)}.${ctx.relationship?.name ?? ''}`,
  action: (ctx) => `${humanize(ctx.action.name)} (${jsonApiType(ctx.resource)})`,
  patch_relationship: (ctx) => `Set ${jsonApiType(ctx.resource)}.${ctx.relationship?.name ?? ''} (${ctx.action.name})`,
};

function routeOperation(ctx: RouteContext): PathOperation {
  const parts = operationParts[ctx.route.kind](ctx);
  const security = actionSecurity(ctx.resource, ctx.action);
  const summary = summaries[ctx.route.kind](ctx);
  const explained = ctx.route.description ?? ctx.action.description;
  return {
    path: openApiPath(ctx.route.path),
    method: ctx.route.method.toLowerCase(),
    operation: {
      operationId: ctx.route.operationId,
      tags: [ctx.resource.domain],
      summary,
      description: `${explained === undefined ? '' : `${explained}\n\n`}Runs the ${jsonApiType(ctx.resource)} action \`${ctx.action.name}\` (${ctx.action.type}).`,
      security: securityRequirement(security),
      ...(parts.parameters.length === 0 ? {} : { parameters: parts.parameters }),
      ...(parts.requestBody === undefined ? {} : { requestBody: parts.requestBody }),
      responses: { ...parts.responses, ...errorResponses('jsonapi', [...everyRoute, ...parts.codes]) },
    },
  };
}

/** Every JSON:API route the resource files declare, plus POST /api/json/operations. */
export function jsonApiOperations(model: Model): PathOperation[] {
  const operations: PathOperation[] = [];
  const writeCodesAll: ErrorCode[] = [];
  for (const resource of model.resources) {
    for (const route of resource.jsonApi?.routes ?? []) {
      const action = resource.actions.find((a) => a.name === route.action);
      if (action === undefined) continue;
      const relationship = route.relationship === undefined ? undefined : resource.relationships.find((r) => r.name === route.relationship);
      operations.push(routeOperation({ model, resource, route, action, relationship }));
      if (action.type !== 'read') writeCodesAll.push(...writeCodes(resource, action));
    }
  }
  const resources = model.resources.filter((r) => r.jsonApi !== undefined);
  const operation = {
    type: 'object',
    required: ['op'],
    properties: {
      op: { enum: ['add', 'update', 'remove'] },
      ref: {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string' }, id: { type: 'string' }, lid: { type: 'string' }, relationship: { type: 'string' } },
      },
      href: { type: 'string', description: 'Any declared write route, e.g. /api/json/work_items/{id}/claim.' },
      data: { description: 'The resource object (or linkage) the addressed route takes.' },
    },
  };
  operations.push({
    path: `${jsonApiPrefix}/operations`,
    method: 'post',
    operation: {
      operationId: 'runAtomicOperations',
      tags: ['json_api'],
      summary: 'Atomic Operations: several writes in one transaction',
      description: 'JSON:API Atomic Operations (ext="https://jsonapi.org/ext/atomic"): every operation runs in ONE transaction, in order; all succeed or nothing is written. At most 100.',
      security: securityRequirement('optional'),
      requestBody: {
        required: true,
        content: content({ type: 'object', required: ['atomic:operations'], properties: { 'atomic:operations': { type: 'array', minItems: 1, items: operation } } }, atomicMediaType),
      },
      responses: {
        '200': {
          description: 'The result of each operation, in order.',
          content: content(
            {
              type: 'object',
              required: ['atomic:results'],
              properties: {
                'atomic:results': {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { data: { anyOf: resources.map((r) => ref(componentName.resource(r))) }, meta: { type: 'object' } },
                    additionalProperties: false,
                  },
                },
              },
              additionalProperties: false,
            },
            atomicMediaType,
          ),
        },
        '204': { description: 'Every operation succeeded and none returns data.' },
        ...errorResponses('jsonapi', [...everyRoute, ...withBody, ...writeCodesAll, 'RESOURCE_NOT_FOUND', 'TOO_MANY_OPERATIONS', 'STATE_CONFLICT']),
      },
    },
  });
  return operations;
}
