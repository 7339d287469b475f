import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefinitionError, loadModel } from '../resources/model/index.ts';
import { emitAll } from './emit/index.ts';
import { emitOpenApi, openApiDocument } from './emit/openapi.ts';
import { emitOpenApiTypes } from './emit/openapi-types.ts';
import { formatFiles } from './format.ts';
import { generateMigrationFiles, pendingStatements } from './migrations.ts';

/**
 * npm run codegen         resources/ -> drizzle/schema.ts (+ a drizzle-kit migration when the schema changed),
 *                         openapi/schemas.ts, openapi/openapi.json and openapi/openapi-types.ts
 * npm run codegen:check   regenerate in memory; fail when anything committed is stale
 * --resources <dir> --out <dir> point it at fixture resources and a scratch output root (tests).
 * The only codegen module that writes to disk.
 */
const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    resources: { type: 'string', default: 'resources' },
    out: { type: 'string', default: '.' },
  },
});
const projectRoot = process.cwd();
const outRoot = path.resolve(projectRoot, values.out);
const schemaFile = path.join(outRoot, 'drizzle', 'schema.ts');
const migrationsDir = path.join(outRoot, 'drizzle', 'migrations');

async function readIfExists(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

async function main(): Promise<number> {
  const model = await loadModel(path.resolve(projectRoot, values.resources));
  // The OpenAPI document (JSON.stringify, two spaces) and its types (openapi-typescript's printer) come out formatted
  // and stable; running prettier over their ~20,000 lines would double the time of every codegen run.
  const files = [...(await formatFiles(projectRoot, emitAll(model))), emitOpenApi(model), await emitOpenApiTypes(openApiDocument(model))];
  if (values.check) {
    const stale: string[] = [];
    for (const file of files) {
      if ((await readIfExists(path.join(outRoot, file.path))) !== file.content) stale.push(file.path);
    }
    if (stale.length === 0) {
      const pending = await pendingStatements(schemaFile, migrationsDir);
      if (pending.length > 0) stale.push(`drizzle/migrations (missing a migration for: ${pending.join(' ').slice(0, 300)})`);
    }
    if (stale.length > 0) {
      console.error(`codegen:check: generated files are stale; run \`npm run codegen\` and commit:\n  ${stale.join('\n  ')}`);
      return 1;
    }
    console.log(`codegen:check: ${files.length} generated files and the migrations match resources/`);
    return 0;
  }
  for (const file of files) {
    const target = path.join(outRoot, file.path);
    if ((await readIfExists(target)) === file.content) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    console.log(`wrote ${path.relative(projectRoot, target)}`);
  }
  const pending = await pendingStatements(schemaFile, migrationsDir);
  if (pending.length === 0) {
    console.log('migrations: up to date');
  } else {
    console.log((await generateMigrationFiles(projectRoot, schemaFile, migrationsDir)).trim());
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof DefinitionError ? error.message : error);
    process.exit(1);
  },
);
