import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generateDrizzleJson, generateMigration, type DrizzleSnapshotJSON } from 'drizzle-kit/api';

const run = promisify(execFile);

/** The name drizzle-kit gives the migrations codegen adds (`0001_resources.sql`). */
const migrationName = 'resources';

async function latestSnapshot(migrationsDir: string): Promise<DrizzleSnapshotJSON | undefined> {
  const metaDir = path.join(migrationsDir, 'meta');
  const snapshots = (await readdir(metaDir).catch(() => [])).filter((f) => f.endsWith('_snapshot.json')).sort();
  const last = snapshots.at(-1);
  if (last === undefined) return undefined;
  return JSON.parse(await readFile(path.join(metaDir, last), 'utf8'));
}

/**
 * The SQL statements a new migration would need to bring the committed migrations up to `schemaFile`.
 * Empty means the migrations are current.
 */
export async function pendingStatements(schemaFile: string, migrationsDir: string): Promise<string[]> {
  const schema: Record<string, unknown> = await import(`${pathToFileURL(schemaFile).href}?v=${Date.now()}`);
  const current = generateDrizzleJson(schema);
  const previous = (await latestSnapshot(migrationsDir)) ?? generateDrizzleJson({});
  return generateMigration(previous, current);
}

/** Runs `drizzle-kit generate`, which writes the SQL migration and its snapshot under `migrationsDir`. */
export async function generateMigrationFiles(projectRoot: string, schemaFile: string, migrationsDir: string): Promise<string> {
  const bin = path.join(projectRoot, 'node_modules', '.bin', 'drizzle-kit');
  const { stdout } = await run(bin, [
    'generate',
    '--dialect=postgresql',
    `--schema=${path.relative(projectRoot, schemaFile)}`,
    `--out=${path.relative(projectRoot, migrationsDir)}`,
    `--name=${migrationName}`,
  ], { cwd: projectRoot });
  return stdout;
}
