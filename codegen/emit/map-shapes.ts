import { existsSync } from 'node:fs';
import path from 'node:path';
import { createGenerator, type SchemaGenerator } from 'ts-json-schema-generator';
import { DefinitionError, type ResourceModel } from '../../resources/model/index.ts';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), as plain data. */
export type JsonSchema = { readonly [key: string]: unknown };

/** One TypeScript program per resource file (building one takes seconds); codegen runs are short-lived. */
const generators = new Map<string, SchemaGenerator>();
const schemas = new Map<string, JsonSchema>();

function generatorFor(file: string): SchemaGenerator {
  let generator = generators.get(file);
  if (generator === undefined) {
    // The project's compiler options (strict, its lib): types mean what they mean to tsc, and the program is small.
    const tsconfig = path.resolve('tsconfig.json');
    // expose 'none' + topRef false: every schema is self-contained, so Ajv and the OpenAPI document embed it as is.
    generator = createGenerator({
      path: file,
      ...(existsSync(tsconfig) ? { tsconfig } : {}),
      expose: 'none',
      topRef: false,
      jsDoc: 'extended',
      skipTypeCheck: true,
      additionalProperties: false,
    });
    generators.set(file, generator);
  }
  return generator;
}

const problem = (resource: ResourceModel, attribute: string, detail: string): DefinitionError =>
  new DefinitionError([{ code: 'UNKNOWN_TYPE', file: resource.file, member: `${resource.name}.attributes.${attribute}.shape`, detail }]);

/**
 * The JSON Schema of a typed map attribute: the TypeScript type named by `attr.map({ shape })`, exported by the
 * resource file, through ts-json-schema-generator. A missing type, a type that is not an object, or one that needs
 * `$ref`s (recursive types) is a DefinitionError naming the file and the member.
 */
export function mapShapeSchema(resource: ResourceModel, attribute: string, shape: string): JsonSchema {
  const file = path.resolve(resource.file);
  const key = `${file}#${shape}`;
  const known = schemas.get(key);
  if (known !== undefined) return known;
  let generated: Record<string, unknown>;
  try {
    generated = { ...generatorFor(file).createSchema(shape) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw problem(resource, attribute, `'${shape}' is not a type exported by ${resource.file} (${reason})`);
  }
  const { $schema: _dialect, definitions, ...schema } = generated;
  if (definitions !== undefined && Object.keys(definitions as object).length > 0) {
    throw problem(resource, attribute, `'${shape}' needs named definitions (a recursive type); map shapes must be self-contained`);
  }
  if (schema['type'] !== 'object') throw problem(resource, attribute, `'${shape}' is not an object type (a map holds a JSON object)`);
  schemas.set(key, schema);
  return schema;
}
