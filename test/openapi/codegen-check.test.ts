import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runCodegen } from './support.ts';

const scratch = path.join(projectRoot, 'test/.generated/openapi-check');
const check = () => runCodegen('--check', '--out', path.relative(projectRoot, scratch));

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('codegen:check covers the OpenAPI document and its generated types', () => {
  it('passes on a fresh copy, fails on a hand-edited openapi.json or openapi-types.ts', async () => {
    await mkdir(scratch, { recursive: true });
    await cp(path.join(projectRoot, 'drizzle'), path.join(scratch, 'drizzle'), { recursive: true });
    await cp(path.join(projectRoot, 'openapi'), path.join(scratch, 'openapi'), { recursive: true });
    const fresh = await check();
    expect(fresh.output).toMatch(/codegen:check: 4 generated files/);
    expect(fresh.code).toBe(0);

    const documentFile = path.join(scratch, 'openapi/openapi.json');
    const original = await readFile(documentFile, 'utf8');
    await writeFile(documentFile, original.replace('"operationId": "claimWorkItem"', '"operationId": "takeWorkItem"'));
    const edited = await check();
    expect(edited.code).toBe(1);
    expect(edited.output).toMatch(/stale.*\n\s+openapi\/openapi\.json/);
    await writeFile(documentFile, original);

    const typesFile = path.join(scratch, 'openapi/openapi-types.ts');
    await writeFile(typesFile, `${await readFile(typesFile, 'utf8')}\nexport type Extra = 1;\n`);
    const typesEdited = await check();
    expect(typesEdited.code).toBe(1);
    expect(typesEdited.output).toContain('openapi/openapi-types.ts');
  });
});
