import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { variables } from '../../src/config/variables.ts';

describe('the README configuration table', () => {
  it('documents every variable the server reads, with its default', async () => {
    const readme = await readFile(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const [name, spec] of Object.entries(variables)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `${name} is missing from the README`).toBeDefined();
      if (spec.fallback !== undefined) expect(row).toContain(`\`${spec.fallback === '' ? '""' : String(spec.fallback)}\``);
    }
  });
});
