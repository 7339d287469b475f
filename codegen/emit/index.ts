// exports added here are public
import type { Model } from '../../resources/model/index.ts';
import type { GeneratedFile } from './code.ts';
import { emitDrizzleSchema } from './drizzle.ts';
import { emitJsonSchemas } from './json-schema.ts';

export type { GeneratedFile } from './code.ts';

/** Every generated file except migrations (those come from drizzle-kit, diffing schema.ts against the last snapshot). */
export function emitAll(model: Model): GeneratedFile[] {
  return [emitDrizzleSchema(model), emitJsonSchemas(model)];
}
