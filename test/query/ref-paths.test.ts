import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, ref } from '../../resources/define.ts';
import type { RelationshipModel, ResourceModel } from '../../resources/model/index.ts';
import { refSql } from '../../src/query/expr-to-sql.ts';
import type { Registry } from '../../src/runtime/registry.ts';
import type { TestDatabase } from '../support/db.ts';
import { fixtureDatabase } from '../support/fixtures.ts';

/**
 * A ref through a relationship reads the destination attribute as it reads (`readAs`); when that attribute's
 * condition follows a relationship path of its own, the inner subquery must not reuse the outer one's aliases.
 * No resource file has such an attribute yet, so the fixture publisher is given one here: `name` reads as 'closed'
 * when the publisher, reached through a to-one relationship to itself, is inactive.
 */
let database: TestDatabase;
let registry: Registry;

beforeAll(async () => {
  const fixture = await fixtureDatabase(import.meta.url);
  database = fixture.database;
  const loaded = fixture.registry;
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
