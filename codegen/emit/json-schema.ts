import type { AttributeSpec } from '../../resources/define.ts';
import {
  byKind,
  jsonApiType,
  modelFingerprint,
  shownAttributes,
  type ActionModel,
  type KindTable,
  type Model,
  type ResourceModel,
} from '../../resources/model/index.ts';
import { code, generatedHeader, statement, type GeneratedFile } from './code.ts';
import { mapShapeSchema, type JsonSchema } from './map-shapes.ts';

export type { JsonSchema } from './map-shapes.ts';

/** Resolves a typed map's `shape` (a TypeScript type name) to its JSON Schema. */
export type ShapeLookup = (shape: string) => JsonSchema;

/** The JSON Schema of each attribute kind's value (never null; nullability is added by the caller). */
const schemaFor = (shapes: ShapeLookup): KindTable<JsonSchema> => ({
  uuid: () => ({ type: 'string', format: 'uuid' }),
  string: (spec) => ({ type: 'string', ...lengths(spec) }),
  text: (spec) => ({ type: 'string', ...lengths(spec) }),
  integer: (spec) => ({ type: 'integer', ...range(spec) }),
  float: (spec) => ({ type: 'number', ...range(spec) }),
  boolean: () => ({ type: 'boolean' }),
  atom: (spec) => ({ type: 'string', enum: spec.oneOf }),
  datetime: () => ({ type: 'string', format: 'date-time' }),
  map: (spec) => (spec.shape === undefined ? { type: 'object', additionalProperties: true } : shapes(spec.shape)),
  array: (spec) => ({ type: 'array', items: byKind(schemaFor(shapes), spec.items) }),
});

/** Typed maps are resolved against the resource's own file (the type it exports). */
export const shapesOf =
  (resource: ResourceModel, attribute: string): ShapeLookup =>
  (shape) =>
    mapShapeSchema(resource, attribute, shape);

const untyped: ShapeLookup = (shape) => {
  throw new Error(`typed map shape '${shape}' needs its resource (use shapesOf)`);
};

function lengths(spec: { readonly minLength?: number; readonly maxLength?: number }): JsonSchema {
  return { ...(spec.minLength === undefined ? {} : { minLength: spec.minLength }), ...(spec.maxLength === undefined ? {} : { maxLength: spec.maxLength }) };
}
function range(spec: { readonly min?: number; readonly max?: number }): JsonSchema {
  return { ...(spec.min === undefined ? {} : { minimum: spec.min }), ...(spec.max === undefined ? {} : { maximum: spec.max }) };
}

/** The value schema, widened to accept null when `nullable`. */
export function valueSchema(spec: AttributeSpec, nullable: boolean, shapes: ShapeLookup = untyped): JsonSchema {
  const base = byKind(schemaFor(shapes), spec);
  const described = spec.description === undefined ? base : { ...base, description: spec.description };
  if (!nullable) return described;
  const withNullType = { ...described, type: [described['type'], 'null'] };
  return 'enum' in described && Array.isArray(described['enum']) ? { ...withNullType, enum: [...described['enum'], null] } : withNullType;
}

const jsonApiTypeOf = (model: Model, name: string): string => {
  const resource = model.resources.find((r) => r.name === name);
  return resource === undefined ? name : jsonApiType(resource);
};

const linkage = (type: string): JsonSchema => ({
  type: 'object',
  required: ['type', 'id'],
  properties: { type: { const: type }, id: { type: 'string' }, meta: { type: 'object' } },
  additionalProperties: false,
});

const links: JsonSchema = { type: 'object', additionalProperties: { type: ['string', 'null'] } };

/** The resource object as the server renders it. */
function resourceObjectSchema(model: Model, resource: ResourceModel, type: string): JsonSchema {
  const attributes = shownAttributes(resource);
  const relationships = Object.fromEntries(
    resource.relationships.map((relationship) => {
      const destinationType = jsonApiTypeOf(model, relationship.destination);
      const data =
        relationship.cardinality === 'one'
          ? { anyOf: [linkage(destinationType), { type: 'null' }] }
          : { type: 'array', items: linkage(destinationType) };
      return [relationship.name, { type: 'object', properties: { links, data, meta: { type: 'object' } }, additionalProperties: false }];
    }),
  );
  return {
    type: 'object',
    required: ['type', 'id'],
    properties: {
      type: { const: type },
      id: { type: 'string', format: 'uuid' },
      attributes: {
        type: 'object',
        properties: Object.fromEntries(attributes.map((a) => [a.name, valueSchema(a.spec, a.spec.allowNil, shapesOf(resource, a.name))])),
        additionalProperties: false,
      },
      relationships: { type: 'object', properties: relationships, additionalProperties: false },
      links,
      meta: { type: 'object' },
    },
    additionalProperties: false,
  };
}

const topLevelRequestMembers = { meta: { type: 'object' }, jsonapi: { type: 'object' } };

/**
 * What an action takes, as one flat object: exactly its `accept` list and arguments, required ones listed. It is the
 * `attributes` of the action's JSON:API request document and the body of the coordination routes that run it.
 * `optional` lifts names that may come another way (a foreign key given as relationship linkage).
 */
export function actionInputSchema(resource: ResourceModel, action: ActionModel, optional: ReadonlySet<string> = new Set()): JsonSchema {
  const required = new Set(action.required);
  const inputs = [
    ...action.accept.flatMap((name) => resource.attributes.filter((a) => a.name === name)),
    ...action.arguments,
  ];
  const properties = Object.fromEntries(
    inputs.map((input) => [input.name, valueSchema(input.spec, input.spec.allowNil && !required.has(input.name), shapesOf(resource, input.name))]),
  );
  const requiredNames = inputs.map((i) => i.name).filter((name) => required.has(name) && !optional.has(name));
  return { type: 'object', properties, ...(requiredNames.length === 0 ? {} : { required: requiredNames }), additionalProperties: false };
}

/**
 * The request document an action's route accepts: exactly the action's `accept` list and arguments as attributes
 * (required ones listed), accepted foreign keys also as relationships, `type` fixed to the resource's type.
 */
function actionBodySchema(model: Model, resource: ResourceModel, type: string, action: ActionModel): JsonSchema {
  const required = new Set(action.required);
  const relationshipInputs = resource.relationships.filter((r) => r.kind === 'belongs_to' && action.accept.includes(r.sourceAttribute));
  const relationshipProperties = Object.fromEntries(
    relationshipInputs.map((relationship) => {
      const target = linkage(jsonApiTypeOf(model, relationship.destination));
      const nullable = !required.has(relationship.sourceAttribute);
      return [
        relationship.name,
        { type: 'object', required: ['data'], properties: { data: nullable ? { anyOf: [target, { type: 'null' }] } : target }, additionalProperties: false },
      ];
    }),
  );
  // Required foreign keys may come as an attribute or as a relationship, so the engine checks those after mapping.
  const attributes = actionInputSchema(resource, action, new Set(relationshipInputs.map((r) => r.sourceAttribute)));
  const data: JsonSchema = {
    type: 'object',
    required: attributes['required'] === undefined ? ['type'] : ['type', 'attributes'],
    properties: {
      type: { const: type },
      id: { type: 'string' },
      lid: { type: 'string' },
      attributes,
      relationships: { type: 'object', properties: relationshipProperties, additionalProperties: false },
      meta: { type: 'object' },
    },
    additionalProperties: false,
  };
  return { type: 'object', required: ['data'], properties: { data, ...topLevelRequestMembers }, additionalProperties: false };
}

/** PATCH /:id/relationships/<rel>: `{ data: { type, id } | null }`. */
function relationshipBodySchema(destinationType: string): JsonSchema {
  return {
    type: 'object',
    required: ['data'],
    properties: { data: { anyOf: [linkage(destinationType), { type: 'null' }] }, ...topLevelRequestMembers },
    additionalProperties: false,
  };
}

export interface ResourceSchemas {
  readonly type: string;
  readonly resource: JsonSchema;
  readonly actions: Readonly<Record<string, JsonSchema>>;
  readonly relationships: Readonly<Record<string, JsonSchema>>;
}

export function resourceSchemas(model: Model): Record<string, ResourceSchemas> {
  return Object.fromEntries(
    model.resources.map((resource) => {
      const type = jsonApiType(resource);
      const writes = resource.actions.filter((a) => a.type !== 'read');
      return [
        resource.name,
        {
          type,
          resource: resourceObjectSchema(model, resource, type),
          actions: Object.fromEntries(writes.map((a) => [a.name, actionBodySchema(model, resource, type, a)])),
          relationships: Object.fromEntries(
            resource.relationships
              .filter((r) => r.cardinality === 'one')
              .map((r) => [r.name, relationshipBodySchema(jsonApiTypeOf(model, r.destination))]),
          ),
        },
      ];
    }),
  );
}

/** openapi/schemas.ts: the JSON Schemas Ajv compiles at run time; the OpenAPI document embeds the same objects. */
export function emitJsonSchemas(model: Model): GeneratedFile {
  const body = [
    statement.exportConst('modelFingerprint', code.literal(modelFingerprint(model)), 'Hash of the resources these schemas were generated from.'),
    statement.exportConst('resourceSchemas', code.literal(resourceSchemas(model)), 'Per resource: the rendered resource object and each write action\'s request body.'),
  ];
  return { path: 'openapi/schemas.ts', content: `${generatedHeader('json-schema')}\n${body.join('\n\n')}\n` };
}
