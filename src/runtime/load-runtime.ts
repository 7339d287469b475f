import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadModel } from '../../resources/model/index.ts';
import { createRegistry, type GeneratedSchema, type GeneratedSchemas, type Registry } from './registry.ts';

const projectRoot = path.resolve(fileURLToPath(import.meta.url), '../../..');

export interface RuntimeLocations {
  /** Directory of `*.resource.ts` files. */
  readonly resourcesDir: string;
  /** The generated drizzle/schema.ts for those resources. */
  readonly schemaFile: string;
  /** The drizzle-kit migrations folder for that schema. */
  readonly migrationsDir: string;
  /** The generated openapi/schemas.ts for those resources. */
  readonly schemasFile: string;
}

export const defaultLocations: RuntimeLocations = {
  resourcesDir: path.join(projectRoot, 'resources'),
  schemaFile: path.join(projectRoot, 'drizzle', 'schema.ts'),
  migrationsDir: path.join(projectRoot, 'drizzle', 'migrations'),
  schemasFile: path.join(projectRoot, 'openapi', 'schemas.ts'),
};

function isGeneratedSchema(value: Record<string, unknown>): value is Record<string, unknown> & GeneratedSchema {
  return typeof value['storageFingerprint'] === 'string' && typeof value['tables'] === 'object' && value['tables'] !== null;
}

function isGeneratedSchemas(value: Record<string, unknown>): value is Record<string, unknown> & GeneratedSchemas {
  return typeof value['modelFingerprint'] === 'string' && typeof value['resourceSchemas'] === 'object' && value['resourceSchemas'] !== null;
}

/** Loads and checks the resources (definition errors stop the start), then binds them to the generated tables. */
export async function loadRegistry(locations: RuntimeLocations = defaultLocations): Promise<Registry> {
  const model = await loadModel(locations.resourcesDir);
  const schema: Record<string, unknown> = await import(pathToFileURL(locations.schemaFile).href);
  if (!isGeneratedSchema(schema)) throw new Error(`${locations.schemaFile} is not a generated schema; run npm run codegen`);
  const jsonSchemas: Record<string, unknown> = await import(pathToFileURL(locations.schemasFile).href);
  if (!isGeneratedSchemas(jsonSchemas)) throw new Error(`${locations.schemasFile} is not generated JSON Schemas; run npm run codegen`);
  return createRegistry(model, schema, jsonSchemas);
}
