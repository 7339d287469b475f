// The JSON:API documents the routes answer with, and the components they are made of.
import {
  jsonApiType,
  pascalCase,
  type ActionModel,
  type Model,
  type RelationshipModel,
  type ResourceModel,
} from '../../resources/model/index.ts';
import { actionInputSchema, resourceSchemas } from './json-schema.ts';
import { ref } from './openapi-errors.ts';
import { filterSchema, filterSchemaName, includePaths } from './openapi-query.ts';
import type { JsonSchema } from './map-shapes.ts';

/** Component names, one place. */
export const componentName = {
  resource: (r: ResourceModel) => pascalCase(jsonApiType(r)),
  request: (r: ResourceModel, action: string) => `${pascalCase(jsonApiType(r))}${pascalCase(action)}Request`,
  input: (r: ResourceModel, action: string) => `${pascalCase(jsonApiType(r))}${pascalCase(action)}Input`,
  relationshipRequest: (r: ResourceModel, relationship: string) => `${pascalCase(jsonApiType(r))}${pascalCase(relationship)}RelationshipRequest`,
  document: (r: ResourceModel) => `${pascalCase(jsonApiType(r))}Document`,
  collection: (r: ResourceModel) => `${pascalCase(jsonApiType(r))}CollectionDocument`,
} as const;

export const destinationOf = (model: Model, relationship: RelationshipModel): ResourceModel => {
  const destination = model.resources.find((r) => r.name === relationship.destination);
  if (destination === undefined) throw new Error(`unknown resource ${relationship.destination}`);
  return destination;
};

/** The resources an include path of `resource` can bring into `included`. */
function includedResources(model: Model, resource: ResourceModel): ResourceModel[] {
  const found = new Map<string, ResourceModel>();
  for (const path of includePaths(resource)) {
    let current = resource;
    for (const segment of path.split('.')) {
      const relationship = current.relationships.find((r) => r.name === segment);
      if (relationship === undefined) break;
      current = destinationOf(model, relationship);
    }
    found.set(current.name, current);
  }
  return [...found.values()];
}

const jsonApiVersion: JsonSchema = { type: 'object', required: ['version'], properties: { version: { const: '1.1' } }, additionalProperties: false };

const included = (model: Model, resource: ResourceModel): Record<string, JsonSchema> => {
  const types = includedResources(model, resource);
  return types.length === 0 ? {} : { included: { type: 'array', items: { anyOf: types.map((t) => ref(componentName.resource(t))) } } };
};

/** A single-resource document; `data` is null only where nothing may be related (a to-one related route). */
export function singleDocument(model: Model, resource: ResourceModel, nullableData = false): JsonSchema {
  const data = ref(componentName.resource(resource));
  return {
    type: 'object',
    required: ['jsonapi', 'data', 'links'],
    properties: {
      jsonapi: ref('JsonApiVersion'),
      data: nullableData ? { anyOf: [data, { type: 'null' }] } : data,
      ...included(model, resource),
      links: { type: 'object', properties: { self: { type: 'string', format: 'uri' } }, additionalProperties: false },
      meta: { type: 'object', description: 'Set by some actions (a token shown once).' },
    },
    additionalProperties: false,
  };
}

function collectionDocument(model: Model, resource: ResourceModel): JsonSchema {
  const link = { type: ['string', 'null'], format: 'uri' };
  return {
    type: 'object',
    required: ['jsonapi', 'data', 'links', 'meta'],
    properties: {
      jsonapi: ref('JsonApiVersion'),
      data: { type: 'array', items: ref(componentName.resource(resource)) },
      ...included(model, resource),
      links: {
        type: 'object',
        required: ['self', 'first', 'prev', 'next'],
        properties: { self: { type: 'string', format: 'uri' }, first: link, prev: link, next: link, last: link },
        additionalProperties: false,
      },
      meta: {
        type: 'object',
        required: ['page'],
        properties: {
          page: {
            type: 'object',
            required: ['limit'],
            properties: { limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 }, total: { type: 'integer', minimum: 0 } },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
}

/** A write's document: the record after the action; `meta.token` when the action issues a token (shown once). */
export function writtenDocument(resource: ResourceModel, action: ActionModel): JsonSchema {
  const issuesToken = action.changes.some((change) => change.kind === 'generate_token');
  return {
    allOf: [ref(componentName.document(resource))],
    ...(issuesToken
      ? {
          required: ['meta'],
          properties: {
            meta: { type: 'object', required: ['token'], properties: { token: { type: 'string', description: 'The bearer token; shown only this once.' } }, additionalProperties: false },
          },
        }
      : {}),
  };
}

export function relationshipDocument(destinationType: string, cardinality: RelationshipModel['cardinality']): JsonSchema {
  const identifier = { type: 'object', required: ['type', 'id'], properties: { type: { const: destinationType }, id: { type: 'string', format: 'uuid' } }, additionalProperties: false };
  return {
    type: 'object',
    required: ['jsonapi', 'links', 'data'],
    properties: {
      jsonapi: ref('JsonApiVersion'),
      links: { type: 'object', required: ['self'], properties: { self: { type: 'string', format: 'uri' }, related: { type: 'string', format: 'uri' } }, additionalProperties: false },
      data: cardinality === 'one' ? { anyOf: [identifier, { type: 'null' }] } : { type: 'array', items: identifier },
    },
    additionalProperties: false,
  };
}

/** components.schemas of the JSON:API: resource objects and request bodies are the objects Ajv compiles. */
export function jsonApiComponents(model: Model): Record<string, JsonSchema> {
  const generated = resourceSchemas(model);
  const components: Record<string, JsonSchema> = { JsonApiVersion: jsonApiVersion };
  for (const resource of model.resources) {
    const schemas = generated[resource.name];
    if (schemas === undefined) continue;
    components[componentName.resource(resource)] = schemas.resource;
    for (const [action, body] of Object.entries(schemas.actions)) components[componentName.request(resource, action)] = body;
    for (const action of resource.actions.filter((a) => a.type !== 'read')) components[componentName.input(resource, action.name)] = actionInputSchema(resource, action);
    for (const [relationship, body] of Object.entries(schemas.relationships)) components[componentName.relationshipRequest(resource, relationship)] = body;
    if (resource.jsonApi === undefined) continue;
    components[componentName.document(resource)] = singleDocument(model, resource);
    components[componentName.collection(resource)] = collectionDocument(model, resource);
    components[filterSchemaName(resource)] = filterSchema(model, resource);
  }
  return components;
}
