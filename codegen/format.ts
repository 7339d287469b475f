import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { format, type Options } from 'prettier';
import type { GeneratedFile } from './emit/index.ts';

const parserFor = (file: string): 'json' | 'typescript' => (file.endsWith('.json') ? 'json' : 'typescript');

/** Formats generated files with the project's prettier config, so output is stable and reviewable. */
export async function formatFiles(projectRoot: string, files: readonly GeneratedFile[]): Promise<GeneratedFile[]> {
  const options: Options = JSON.parse(await readFile(path.join(projectRoot, '.prettierrc.json'), 'utf8'));
  return Promise.all(files.map(async (file) => ({ ...file, content: await format(file.content, { ...options, parser: parserFor(file.path) }) })));
}
