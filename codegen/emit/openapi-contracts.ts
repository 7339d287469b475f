import { shownAttributes, type Model, type ResourceModel } from '../../resources/model/index.ts';
import { isDerived, routeContracts, type DerivedSchema, type RouteContract } from '../../resources/contracts/index.ts';
import { actionInputSchema, shapesOf, valueSchema } from './json-schema.ts';
import { errorResponses, ref } from './openapi-errors.ts';
import { componentName } from './openapi-documents.ts';
import { securityRequirement, type PathOperation } from './openapi-jsonapi.ts';
import type { JsonSchema } from './map-shapes.ts';

function resourceNamed(model: Model, name: string): ResourceModel {
  const resource = model.resources.find((r) => r.name === name);
  if (resource === undefined) throw new Error(`resources/contracts names a resource that does not exist: ${name}`);
  return resource;
}

function attributeSchema(resource: ResourceModel, name: string): JsonSchema {
  const attribute = resource.attributes.find((a) => a.name === name);
  if (attribute === undefined || !attribute.spec.public) throw new Error(`resources/contracts names an attribute ${resource.name} does not show: ${name}`);
  return valueSchema(attribute.spec, attribute.spec.allowNil, shapesOf(resource, name));
}

const closed = (properties: Record<string, JsonSchema>, required: readonly string[] = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length === 0 ? {} : { required }),
  additionalProperties: false,
});

const resolveAll = (model: Model, members: Readonly<Record<string, JsonSchema>> | undefined): Record<string, JsonSchema> =>
  Object.fromEntries(Object.entries(members ?? {}).map(([name, schema]) => [name, resolve(model, schema)]));

/** A derived node as the schema it stands for, built by the same functions as the JSON:API's schemas. */
const derived: { readonly [K in DerivedSchema['$derived']]: (model: Model, node: Extract<DerivedSchema, { $derived: K }>) => JsonSchema } = {
  action_input: (model, node) => {
    const resource = resourceNamed(model, node.resource);
    const action = resource.actions.find((a) => a.name === node.action);
    if (action === undefined) throw new Error(`resources/contracts names an action ${resource.name} does not have: ${node.action}`);
    const omit = new Set(node.omit ?? []);
    // The action's own input schema when the route takes it as is: a reference to the component Ajv's schema embeds.
    if (omit.size === 0 && node.optional === undefined && node.extra === undefined) return ref(componentName.input(resource, action.name));
    const input = actionInputSchema(resource, action, new Set(node.optional ?? []));
    const properties = Object.fromEntries(Object.entries(input['properties'] as Record<string, JsonSchema>).filter(([name]) => !omit.has(name)));
    const required = ((input['required'] ?? []) as string[]).filter((name) => !omit.has(name));
    return closed({ ...properties, ...resolveAll(model, node.extra) }, required);
  },
  attributes: (model, node) => {
    const resource = resourceNamed(model, node.resource);
    const picked = Object.fromEntries(
      Object.entries(node.pick).map(([member, attribute]) =>
        attribute === resource.primaryKey.name ? [member, { type: 'string', format: 'uuid' }] : [member, attributeSchema(resource, attribute)],
      ),
    );
    return closed({ ...picked, ...resolveAll(model, node.extra) });
  },
  row: (model, node) => {
    const resource = resourceNamed(model, node.resource);
    const omit = new Set(node.omit ?? []);
    const attributes = Object.fromEntries(shownAttributes(resource).filter((a) => !omit.has(a.name)).map((a) => [a.name, attributeSchema(resource, a.name)]));
    return closed({ id: { type: 'string', format: 'uuid' }, ...attributes, ...resolveAll(model, node.extra) });
  },
  counts: (model, node) => {
    const spec = resourceNamed(model, node.resource).attributes.find((a) => a.name === node.attribute)?.spec;
    if (spec?.kind !== 'atom') throw new Error(`resources/contracts counts ${node.resource}.${node.attribute}, which is not an atom`);
    return closed(Object.fromEntries(spec.oneOf.map((value) => [value, { type: 'integer', minimum: 0 }])));
  },
};

/** Replaces derived nodes anywhere in a contract schema. */
export function resolve(model: Model, schema: JsonSchema): JsonSchema {
  if (isDerived(schema)) {
    const handler = derived[schema.$derived] as (model: Model, node: DerivedSchema) => JsonSchema;
    return handler(model, schema);
  }
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    if (isDerived(value)) return resolve(model, value);
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, walk(child)]));
  };
  return walk(schema) as JsonSchema;
}

const media = (model: Model, content: Readonly<Record<string, JsonSchema>>) =>
  Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema: resolve(model, schema) }]));

function contractOperation(model: Model, contract: RouteContract): PathOperation {
  const responses = Object.fromEntries(
    Object.entries(contract.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.headers === undefined ? {} : { headers: response.headers }),
        ...(response.content === undefined ? {} : { content: media(model, response.content) }),
      },
    ]),
  );
  return {
    path: contract.path,
    method: contract.method.toLowerCase(),
    operation: {
      operationId: contract.operationId,
      tags: [contract.tag],
      summary: contract.summary,
      ...(contract.description === undefined ? {} : { description: contract.description }),
      security: securityRequirement(contract.security),
      ...(contract.parameters === undefined ? {} : { parameters: contract.parameters }),
      ...(contract.requestBody === undefined
        ? {}
        : {
            requestBody: {
              required: contract.requestBody.required,
              ...(contract.requestBody.description === undefined ? {} : { description: contract.requestBody.description }),
              content: media(model, contract.requestBody.content),
            },
          }),
      responses: { ...responses, ...(contract.errors === undefined ? {} : errorResponses(contract.errors.format, contract.errors.codes)) },
    },
  };
}

/** The coordination, OTLP and service routes (resources/contracts). Coordination routes exist when their resources do (src/coordination/enabled.ts). */
export function contractOperations(model: Model): PathOperation[] {
  const coordination = ['agent', 'work_item', 'telemetry_event'].every((name) => model.resources.some((r) => r.name === name));
  return routeContracts.filter((c) => coordination || c.tag !== 'coordination').map((contract) => contractOperation(model, contract));
}
