import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadModel } from '../../resources/model/index.ts';
import { createRegistry, type GeneratedSchema, type Registry } from './registry.ts';

const projectRoot = path.resolve(fileURLToPath(import.meta.url), '../../..');

export interface RuntimeLocations {
  /** Directory of `*.resource.ts` files. */
  readonly resourcesDir: string;
  /** The generated drizzle/schema.ts for those resources. */
  readonly schemaFile: string;
  /** The drizzle-kit migrations folder for that schema. */
  readonly migrationsDir: string;
}

export const defaultLocations: RuntimeLocations = {
  resourcesDir: path.join(projectRoot, 'resources'),
  schemaFile: path.join(projectRoot, 'drizzle', 'schema.ts'),
  migrationsDir: path.join(projectRoot, 'drizzle', 'migrations'),
};

function isGeneratedSchema(value: Record<string, unknown>): value is Record<string, unknown> & GeneratedSchema {
  return typeof value['storageFingerprint'] === 'string' && typeof value['tables'] === 'object' && value['tables'] !== null;
}

/** Loads and checks the resources (definition errors stop the start), then binds them to the generated tables. */
export async function loadRegistry(locations: RuntimeLocations = defaultLocations): Promise<Registry> {
  const model = await loadModel(locations.resourcesDir);
  const schema: Record<string, unknown> = await import(pathToFileURL(locations.schemaFile).href);
  if (!isGeneratedSchema(schema)) throw new Error(`${locations.schemaFile} is not a generated schema; run npm run codegen`);
  return createRegistry(model, schema);
}
