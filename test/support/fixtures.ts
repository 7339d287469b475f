import path from 'node:path';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { loadRegistry, type RuntimeLocations } from '../../src/runtime/load-runtime.ts';
import type { Registry } from '../../src/runtime/registry.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

/** The test-only resources (test/fixtures/resources) and what `npm run codegen` generated for them. */
export const fixtureLocations: RuntimeLocations = {
  resourcesDir: path.join(fixtures, 'resources'),
  schemaFile: path.join(fixtures, 'generated/drizzle/schema.ts'),
  migrationsDir: path.join(fixtures, 'generated/drizzle/migrations'),
  schemasFile: path.join(fixtures, 'generated/openapi/schemas.ts'),
};

/** A database of the test file's own, migrated with the fixture resources' migrations, and their registry. */
export async function fixtureDatabase(fileUrl: string): Promise<{ database: TestDatabase; registry: Registry }> {
  const database = await createTestDatabase(fileUrl, { migrated: false });
  await migrateDatabase(database.pool, fixtureLocations.migrationsDir);
  return { database, registry: await loadRegistry(fixtureLocations) };
}
