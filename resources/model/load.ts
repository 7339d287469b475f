import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isResourceDefinition } from '../define.ts';
import { buildModel, type LoadedResource } from './build-model.ts';
import { DefinitionError } from './errors.ts';
import type { Model } from './types.ts';

/** Resource files are discovered, not registered: adding a resource is adding one `*.resource.ts` file. */
export const resourceFilePattern = /\.resource\.ts$/;

/** Imports every `*.resource.ts` in `directory`; each must export exactly one resource definition. */
export async function loadResourceFiles(directory: string): Promise<LoadedResource[]> {
  const entries = (await readdir(directory)).filter((name) => resourceFilePattern.test(name)).sort();
  const loaded: LoadedResource[] = [];
  for (const entry of entries) {
    const absolute = path.resolve(directory, entry);
    const file = path.relative(process.cwd(), absolute);
    const exports: Record<string, unknown> = await import(pathToFileURL(absolute).href);
    const definitions = Object.values(exports).filter(isResourceDefinition);
    const [definition] = definitions;
    if (definitions.length !== 1 || definition === undefined) {
      throw new DefinitionError([
        { code: 'INVALID_FILE', file, member: entry, detail: `exports ${definitions.length} resources; a resource file exports exactly one defineResource(...)` },
      ]);
    }
    loaded.push({ file, definition });
  }
  return loaded;
}

/** Loads and checks the resources in `directory` (codegen and server start both come through here). */
export async function loadModel(directory: string): Promise<Model> {
  return buildModel(await loadResourceFiles(directory));
}
