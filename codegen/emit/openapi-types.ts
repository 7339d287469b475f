import openapiTS, { astToString } from 'openapi-typescript';
import { generatedHeader, type GeneratedFile } from './code.ts';
import type { JsonSchema } from './map-shapes.ts';

export const openApiTypesFile = 'openapi/openapi-types.ts';

/**
 * openapi/openapi-types.ts: TypeScript types of every path and schema of the document (openapi-typescript), for a
 * typed client such as openapi-fetch: `createClient<paths>({ baseUrl })`. Async because openapi-typescript is.
 */
export async function emitOpenApiTypes(document: JsonSchema): Promise<GeneratedFile> {
  const ast = await openapiTS(structuredClone(document) as unknown as Parameters<typeof openapiTS>[0], { silent: true });
  return { path: openApiTypesFile, content: `${generatedHeader('openapi-types')}\n${astToString(ast)}` };
}
