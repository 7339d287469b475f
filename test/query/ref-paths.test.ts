import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, ref } from '../../resources/define.ts';
import type { RelationshipModel, ResourceModel } from '../../resources/model/index.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { refSql } from '../../src/query/expr-to-sql.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';
import type { Registry } from '../../src/runtime/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/**
 * A ref through a relationship reads the destination attribute as it reads (`readAs`); when that attribute's
 * condition follows a relationship path of its own, the inner subquery must not reuse the outer one's aliases.
 * No resource file has such an attribute yet, so the fixture publisher is given one here: `name` reads as 'closed'
 * when the publisher, reached through a to-one relationship to itself, is inactive.
 */
const fixtures = path.resolve(import.meta.dirname, '../fixtures');
let database: TestDatabase;
let registry: Registry;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url, { migrated: false });
  const locations = {
    resourcesDir: path.join(fixtures, 'resources'),
    schemaFile: path.join(fixtures, 'generated/drizzle/schema.ts'),
    migrationsDir: path.join(fixtures, 'generated/drizzle/migrations'),
    schemasFile: path.join(fixtures, 'generated/openapi/schemas.ts'),
  };
  await migrateDatabase(database.pool, locations.migrationsDir);
  const loaded = await loadRegistry(locations);
  const publisher = loaded.resource('publisher');
  const itself: RelationshipModel = { name: 'itself', kind: 'belongs_to', cardinality: 'one', destination: 'publisher', sourceAttribute: 'id', destinationAttribute: 'id' };
  const variant: ResourceModel = {
    ...publisher,
    relationships: [...publisher.relationships, itself],
    attributes: publisher.attributes.map((a) => (a.name === 'name' ? { ...a, spec: { ...a.spec, readAs: { when: eq(ref('itself', 'active'), false), value: 'closed' } } } : a)),
  };
  registry = { ...loaded, resource: (name) => (name === 'publisher' ? variant : loaded.resource(name)) };
});
afterAll(async () => {
  await database.drop();
});

describe('refs through relationships', () => {
  it("read a destination's readAs whose condition follows a path of its own, each subquery with its own aliases", async () => {
    await database.pool.query(`INSERT INTO publishers (name, active) VALUES ('Open House', true), ('Shut Press', false)`);
    await database.pool.query(`INSERT INTO books (title, publisher_id) SELECT 'by ' || name, id FROM publishers`);
    const book = registry.resource('book');
    const publisherName = refSql({ registry, resource: book }, ['publisher', 'name']);
    const title = registry.column(book, 'title');
    const rows = await database.db.select({ title, publisher: sql<string>`${publisherName}` }).from(registry.table(book)).orderBy(title);
    expect(rows).toEqual([
      { title: 'by Open House', publisher: 'Open House' },
      { title: 'by Shut Press', publisher: 'closed' },
    ]);
  });
});
