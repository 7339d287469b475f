import type { AttributeSpec, ScalarSpec } from '../../resources/define.ts';
import { byKind, jsonApiType, pageSizes, pascalCase, shownAttributes, type KindTable, type Model, type ResourceModel } from '../../resources/model/index.ts';
import { listOperators, operatorAliases, operatorsFor, pageParameters, sortable, type FilterOperator } from '../../resources/contracts/index.ts';
import { ref } from './openapi-errors.ts';
import type { JsonSchema } from './map-shapes.ts';

/** How one value of each kind is written in a query string (src/jsonapi/query/filter-values.ts parses them). */
const queryValue: KindTable<JsonSchema> = {
  uuid: () => ({ type: 'string', format: 'uuid' }),
  string: () => ({ type: 'string' }),
  text: () => ({ type: 'string' }),
  integer: () => ({ type: 'string', pattern: '^-?[0-9]+$' }),
  float: () => ({ type: 'string', description: 'A decimal number.' }),
  boolean: () => ({ type: 'string', enum: ['true', 'false'] }),
  atom: (spec) => ({ type: 'string', enum: spec.oneOf }),
  datetime: () => ({ type: 'string', format: 'date-time' }),
  map: () => ({ not: {}, description: 'Maps are only filtered with is_nil.' }),
  array: (spec) => byKind(queryValue, spec.items),
};

const commaList = (item: JsonSchema): JsonSchema => ({ type: 'string', description: `A comma-separated list of: ${JSON.stringify(item)}` });

/** The operand each operator takes on an attribute of `spec`. */
function operand(spec: AttributeSpec, operator: FilterOperator): JsonSchema {
  if (operator === 'is_nil') return { type: 'string', enum: ['true', 'false'] };
  const item: AttributeSpec | ScalarSpec = spec.kind === 'array' ? spec.items : spec;
  if (operator === 'starts_with' || (operator === 'contains' && spec.kind !== 'array')) return { type: 'string' };
  const value = byKind(queryValue, item);
  return listOperators.includes(operator) ? commaList(value) : value;
}

/** Attributes a filter may name: public shown ones, the primary key, and foreign keys (src/jsonapi/query/filter.ts). */
function filterable(resource: ResourceModel) {
  const shown = new Set(shownAttributes(resource).map((a) => a.name));
  return resource.attributes.filter(
    (a) => a.spec.public && (shown.has(a.name) || a.spec.primaryKey || resource.relationships.some((r) => r.sourceAttribute === a.name)),
  );
}

export const filterSchemaName = (resource: ResourceModel): string => `${pascalCase(jsonApiType(resource))}Filter`;

/**
 * `filter[...]` of a resource as a deepObject: per attribute a value (`eq`; a comma list means `in`; on arrays
 * `contains`) or an object of its kind's operators and their aliases; relationships nest the destination's filter;
 * `and`/`or` take lists of filters, `not` one.
 */
export function filterSchema(model: Model, resource: ResourceModel): JsonSchema {
  const attributes = Object.fromEntries(
    filterable(resource).map((attribute) => {
      const operators = byKind(operatorsFor, attribute.spec);
      const aliases = Object.entries(operatorAliases).filter(([, operator]) => operators.includes(operator));
      const shorthand = attribute.spec.kind === 'map' ? [] : [{ ...operand(attribute.spec, attribute.spec.kind === 'array' ? 'contains' : 'eq'), description: attribute.spec.kind === 'array' ? 'Has all of these items.' : 'Equal to (a comma list: any of them).' }];
      const byOperator = {
        type: 'object',
        properties: {
          ...Object.fromEntries(operators.map((operator) => [operator, operand(attribute.spec, operator)])),
          ...Object.fromEntries(aliases.map(([alias, operator]) => [alias, { ...operand(attribute.spec, operator), description: `Alias of ${operator}.` }])),
        },
        additionalProperties: false,
      };
      return [attribute.name, { anyOf: [...shorthand, byOperator] }];
    }),
  );
  const relationships = Object.fromEntries(
    resource.relationships.flatMap((relationship) => {
      const destination = model.resources.find((r) => r.name === relationship.destination);
      return destination === undefined
        ? []
        : [[relationship.name, { ...ref(filterSchemaName(destination)), description: `Has a related ${relationship.destination} matching this filter.` }]];
    }),
  );
  const self = ref(filterSchemaName(resource));
  return {
    type: 'object',
    description: `Filter of ${jsonApiType(resource)}: every member must hold.`,
    properties: {
      ...attributes,
      ...relationships,
      and: { type: 'array', items: self },
      or: { type: 'array', items: self },
      not: self,
    },
    additionalProperties: false,
  };
}

/** Sort keys: sortable shown attributes and the primary key, also through to-one relationships (`agent.agent_id`). */
export function sortKeys(model: Model, resource: ResourceModel, visited: ReadonlySet<string> = new Set()): string[] {
  const own = resource.attributes
    .filter((a) => a.spec.public && sortable(a.spec.kind) && (a.spec.primaryKey || shownAttributes(resource).includes(a)))
    .map((a) => a.name);
  const through = resource.relationships.flatMap((relationship) => {
    const destination = model.resources.find((r) => r.name === relationship.destination);
    if (relationship.cardinality !== 'one' || destination === undefined || visited.has(destination.name)) return [];
    return sortKeys(model, destination, new Set([...visited, resource.name])).map((key) => `${relationship.name}.${key}`);
  });
  return [...own, ...through];
}

/** Every declared include path and each of its prefixes (src/jsonapi/query/include.ts). */
export function includePaths(resource: ResourceModel): string[] {
  const allowed = new Set<string>();
  for (const path of resource.jsonApi?.includes ?? []) {
    const segments = path.split('.');
    for (let i = 1; i <= segments.length; i += 1) allowed.add(segments.slice(0, i).join('.'));
  }
  return [...allowed].sort();
}

/** `x-component` names the parameter in components.parameters (codegen/emit/openapi.ts hoists repeated ones). */
const listParameter = (name: string, description: string, items: readonly string[], component?: string): JsonSchema => ({
  ...(component === undefined ? {} : { 'x-component': component }),
  name,
  in: 'query',
  description,
  style: 'form',
  explode: false,
  schema: { type: 'array', items: { type: 'string', enum: items }, uniqueItems: true },
});

/** `include` and `fields[type]` (every route that renders resources). */
export function singleParameters(model: Model, resource: ResourceModel): JsonSchema[] {
  const includes = includePaths(resource);
  return [
    ...(includes.length === 0 ? [] : [
          listParameter(
            'include',
            `Related resources to include (allow-listed paths). A request reads at most ${pageSizes(resource).maxIncluded} related records for its includes; more is a 400 (INVALID_INCLUDE).`,
            includes,
            `include.${jsonApiType(resource)}`,
          ),
        ]),
    ...model.resources
      .filter((r) => r.jsonApi !== undefined)
      .map((r) =>
        listParameter(`fields[${jsonApiType(r)}]`, `Sparse fieldset: only these attributes and relationships of ${jsonApiType(r)} are rendered.`, [
          ...shownAttributes(r).map((a) => a.name),
          ...r.relationships.map((rel) => rel.name),
        ]),
      ),
  ];
}

const pageDescriptions: { readonly [K in (typeof pageParameters)[number]]: (resource: ResourceModel) => JsonSchema } = {
  limit: (r) => ({
    description: `Page size (default ${pageSizes(r).default}; larger values are clamped to ${pageSizes(r).max}).`,
    schema: { type: 'integer', minimum: 1 },
  }),
  offset: () => ({ description: 'Page by offset instead of by cursor.', schema: { type: 'integer', minimum: 0 } }),
  after: () => ({ description: 'The cursor of links.next (paging by cursor is the default).', schema: { type: 'string', minLength: 1 } }),
  before: () => ({ description: 'The cursor of links.prev.', schema: { type: 'string', minLength: 1 } }),
  count: () => ({ description: 'true adds meta.page.total (and links.last when paging by offset).', schema: { type: 'string', enum: ['true', 'false'] } }),
};

/** Collection routes: `filter` (deepObject), `sort`, `page[...]`, plus the single-resource parameters. */
export function collectionParameters(model: Model, resource: ResourceModel): JsonSchema[] {
  const keys = sortKeys(model, resource);
  return [
    { 'x-component': `filter.${jsonApiType(resource)}`, name: 'filter', in: 'query', description: 'filter[attribute]=value or filter[attribute][operator]=value; relationships nest.', style: 'deepObject', explode: true, schema: ref(filterSchemaName(resource)) },
    listParameter('sort', 'Sort keys, `-` for descending; the primary key is always the last tiebreaker.', keys.flatMap((key) => [key, `-${key}`]), `sort.${jsonApiType(resource)}`),
    ...pageParameters.map((name) => ({ 'x-component': name === 'limit' ? `page.limit.${jsonApiType(resource)}` : `page.${name}`, name: `page[${name}]`, in: 'query', ...pageDescriptions[name](resource) })),
    ...singleParameters(model, resource),
  ];
}
