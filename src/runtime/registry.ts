import { getTableColumns } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { modelFingerprint, storageFingerprint, type Model, type ResourceModel } from '../../resources/model/index.ts';

/** What the server needs from drizzle/schema.ts (generated). */
export interface GeneratedSchema {
  readonly storageFingerprint: string;
  readonly tables: Readonly<Record<string, PgTable>>;
}

/** A JSON Schema as generated into openapi/schemas.ts. */
export type JsonSchema = { readonly [key: string]: unknown };

/** What the server needs from openapi/schemas.ts (generated): per resource, the rendered object and request bodies. */
export interface ResourceSchemas {
  readonly type: string;
  readonly resource: JsonSchema;
  readonly actions: Readonly<Record<string, JsonSchema>>;
  readonly relationships: Readonly<Record<string, JsonSchema>>;
}

export interface GeneratedSchemas {
  readonly modelFingerprint: string;
  readonly resourceSchemas: Readonly<Record<string, ResourceSchemas>>;
}

/** The model plus its Drizzle tables, resolved once at start so requests never look names up by string twice. */
export interface Registry {
  readonly model: Model;
  resource(name: string): ResourceModel;
  table(resource: ResourceModel): PgTable;
  column(resource: ResourceModel, attribute: string): PgColumn;
  /** The generated JSON Schemas of a resource. */
  schemas(resource: ResourceModel): ResourceSchemas;
}

export class StaleSchemaError extends Error {
  constructor(detail: string) {
    super(`the generated files do not match resources/ (${detail}). Run \`npm run codegen\`, then restart.`);
    this.name = 'StaleSchemaError';
  }
}

export function createRegistry(model: Model, schema: GeneratedSchema, jsonSchemas: GeneratedSchemas): Registry {
  const expected = storageFingerprint(model);
  if (schema.storageFingerprint !== expected) {
    throw new StaleSchemaError(`fingerprint ${schema.storageFingerprint}, resources give ${expected}`);
  }
  const expectedModel = modelFingerprint(model);
  if (jsonSchemas.modelFingerprint !== expectedModel) {
    throw new StaleSchemaError(`openapi/schemas.ts fingerprint ${jsonSchemas.modelFingerprint}, resources give ${expectedModel}`);
  }
  const resources = new Map(model.resources.map((r) => [r.name, r]));
  const tables = new Map<string, PgTable>();
  const columns = new Map<string, ReadonlyMap<string, PgColumn>>();
  const schemas = new Map<string, ResourceSchemas>();
  for (const resource of model.resources) {
    const table = schema.tables[resource.name];
    if (table === undefined) throw new StaleSchemaError(`no table for resource ${resource.name}`);
    const tableColumns = getTableColumns(table);
    for (const attribute of resource.attributes) {
      if (tableColumns[attribute.name] === undefined) throw new StaleSchemaError(`no column ${resource.table}.${attribute.name}`);
    }
    tables.set(resource.name, table);
    columns.set(resource.name, new Map(Object.entries(tableColumns)));
    const resourceJsonSchemas = jsonSchemas.resourceSchemas[resource.name];
    if (resourceJsonSchemas === undefined) throw new StaleSchemaError(`no JSON Schemas for resource ${resource.name}`);
    schemas.set(resource.name, resourceJsonSchemas);
  }
  const lookup = <T>(map: ReadonlyMap<string, T>, key: string, what: string): T => {
    const found = map.get(key);
    if (found === undefined) throw new Error(`unknown ${what} '${key}'`);
    return found;
  };
  return {
    model,
    resource: (name) => lookup(resources, name, 'resource'),
    table: (resource) => lookup(tables, resource.name, 'resource'),
    column: (resource, attribute) => lookup(lookup(columns, resource.name, 'resource'), attribute, `attribute of ${resource.name}`),
    schemas: (resource) => lookup(schemas, resource.name, 'resource'),
  };
}
