import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { fixtureDatabase } from '../support/fixtures.ts';
import { errorCodes, jsonApi, resource, type JsonApiResponse } from '../support/jsonapi.ts';
import { testAuth, testConfig } from '../support/runtime.ts';

/**
 * Read policies compile into SQL, and a row the actor may not see never leaks: not in lists, includes, counts, related
 * routes, relationship linkage, or error text. Field policies hide attributes. (Fixture resources: a reviewer sees
 * only the books it reviews; only the admin sees publisher ratings.)
 */
let database: TestDatabase;
let app: FastifyInstance;
const reviewers: { id: string; token: string }[] = [];
let publisherId = '';
const books: { id: string; reviewer: number }[] = [];

const as = (who: number | 'admin', method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<JsonApiResponse> =>
  jsonApi(app, method, url, body, who === 'admin' ? {} : { authorization: `Bearer ${reviewers[who]?.token ?? ''}` });

beforeAll(async () => {
  const fixture = await fixtureDatabase(import.meta.url);
  database = fixture.database;
  app = await buildApp({ auth: testAuth, config: testConfig(), registry: fixture.registry, database, logger: false });
  for (const name of ['ann', 'bob']) {
    const response = await as('admin', 'POST', '/api/json/reviewers', resource('reviewer', { name }));
    reviewers.push({ id: response.body.data.id, token: response.body.meta.token });
  }
  publisherId = (await as('admin', 'POST', '/api/json/publishers', resource('publisher', { name: 'Tor', rating: 4.5 }))).body.data.id;
  for (const [i, reviewer] of [0, 0, 1].entries()) {
    const book = await as('admin', 'POST', '/api/json/books', resource('book', { title: `Book ${i}` }, {
      publisher: { data: { type: 'publisher', id: publisherId } },
      reviewer: { data: { type: 'reviewer', id: reviewers[reviewer]?.id } },
    }));
    books.push({ id: book.body.data.id, reviewer });
  }
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const bobsBook = () => books.find((b) => b.reviewer === 1)?.id ?? '';
const annsBooks = () => books.filter((b) => b.reviewer === 0).map((b) => b.id).sort();

describe('a row the actor may not read', () => {
  it('is absent from lists and counts', async () => {
    const list = await as(0, 'GET', '/api/json/books?page[count]=true');
    expect(list.body.data.map((d: { id: string }) => d.id).sort()).toEqual(annsBooks());
    expect(list.body.meta.page.total).toBe(2);
    expect((await as('admin', 'GET', '/api/json/books?page[count]=true')).body.meta.page.total).toBe(3);
  });

  it('is absent from includes and from the linkage that leads to it', async () => {
    const publisher = await as(0, 'GET', `/api/json/publishers/${publisherId}?include=books`);
    expect(publisher.body.included.map((o: { id: string }) => o.id).sort()).toEqual(annsBooks());
    expect(publisher.body.data.relationships.books.data.map((d: { id: string }) => d.id).sort()).toEqual(annsBooks());
    const reviewer = await as(0, 'GET', `/api/json/reviewers/${reviewers[1]?.id}?include=books`);
    expect(reviewer.body.included).toEqual([]);
    expect(reviewer.body.data.relationships.books.data).toEqual([]);
  });

  it('is absent from related routes', async () => {
    const related = await as(0, 'GET', `/api/json/reviewers/${reviewers[1]?.id}/books`);
    expect(related.body.data).toEqual([]);
  });

  it('is a 404 with the same text as a missing row, for GET, PATCH, relationship and related routes', async () => {
    const hidden = await as(0, 'GET', `/api/json/books/${bobsBook()}`);
    const absent = await as(0, 'GET', '/api/json/books/00000000-0000-4000-8000-000000000000');
    expect(hidden.status).toBe(404);
    expect(hidden.body.errors[0].detail.replace(bobsBook(), 'ID')).toBe(absent.body.errors[0].detail.replace('00000000-0000-4000-8000-000000000000', 'ID'));
    const patch = await as(0, 'PATCH', `/api/json/books/${bobsBook()}`, { data: { type: 'book', id: bobsBook(), attributes: { title: 'mine now' } } });
    expect(patch.status).toBe(404);
    expect((await as(0, 'GET', `/api/json/books/${bobsBook()}/relationships/reviewer`)).status).toBe(404);
    expect((await as(0, 'GET', `/api/json/books/${bobsBook()}/publisher`)).status).toBe(404);
    expect((await as('admin', 'GET', `/api/json/books/${bobsBook()}`)).body.data.attributes.title).toBe('Book 2');
  });

  it('cannot be found by filtering either', async () => {
    const filtered = await as(0, 'GET', `/api/json/books?filter[reviewer][name]=bob`);
    expect(filtered.body.data).toEqual([]);
  });

  it('a write the policy refuses on a visible row is 403 and changes nothing', async () => {
    const annsBook = annsBooks()[0] ?? '';
    const own = await as(0, 'PATCH', `/api/json/books/${annsBook}`, { data: { type: 'book', id: annsBook, attributes: { title: 'Edited by Ann' } } });
    expect(own.status).toBe(200);
    const create = await as(0, 'POST', '/api/json/books', resource('book', { title: 'x' }, { publisher: { data: { type: 'publisher', id: publisherId } } }));
    expect(create.status).toBe(403);
    expect(errorCodes(create)).toEqual(['FORBIDDEN']);
  });
});

describe('field policies', () => {
  it('leave a field out for actors it forbids, and refuse it in filter, sort and fields', async () => {
    expect((await as('admin', 'GET', `/api/json/publishers/${publisherId}`)).body.data.attributes.rating).toBe(4.5);
    const seen = await as(0, 'GET', `/api/json/publishers/${publisherId}`);
    expect(seen.body.data.attributes).not.toHaveProperty('rating');
    expect(seen.body.data.attributes.name).toBe('Tor');
    expect(errorCodes(await as(0, 'GET', '/api/json/publishers?filter[rating][gt]=4'))).toEqual(['INVALID_FILTER']);
    expect(errorCodes(await as(0, 'GET', '/api/json/publishers?sort=-rating'))).toEqual(['INVALID_SORT']);
    expect(errorCodes(await as(0, 'GET', '/api/json/publishers?fields[publisher]=rating'))).toEqual(['INVALID_FIELDS']);
    expect((await as('admin', 'GET', '/api/json/publishers?filter[rating][gt]=4')).body.data).toHaveLength(1);
  });
});

describe('relates_to_actor_via through a to-many relationship', () => {
  const edit = (who: number, id: string, founded: number) =>
    as(who, 'PATCH', `/api/json/publishers/${id}`, { data: { type: 'publisher', id, attributes: { founded } } });
  const founded = async (id: string) => (await as('admin', 'GET', `/api/json/publishers/${id}`)).body.data.attributes.founded;

  it('lets a reviewer of some book of the publisher edit it, and refuses (403, nothing written) everyone else', async () => {
    const gollancz = (await as('admin', 'POST', '/api/json/publishers', resource('publisher', { name: 'Gollancz', founded: 1927 }))).body.data.id;
    const orbit = (await as('admin', 'POST', '/api/json/publishers', resource('publisher', { name: 'Orbit', founded: 1974 }))).body.data.id;
    const bobs = await as('admin', 'POST', '/api/json/books', resource('book', { title: 'Bob only' }, {
      publisher: { data: { type: 'publisher', id: gollancz } },
      reviewer: { data: { type: 'reviewer', id: reviewers[1]?.id } },
    }));
    expect(bobs.status).toBe(201);

    // Tor's books are reviewed by both: either may edit it.
    expect((await edit(0, publisherId, 1980)).status).toBe(200);
    expect((await edit(1, publisherId, 1981)).status).toBe(200);
    expect(await founded(publisherId)).toBe(1981);

    const refused = await edit(0, gollancz, 2000);
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].detail).toBe('Only a reviewer of one of its books may edit a publisher');
    expect(await founded(gollancz)).toBe(1927);
    expect((await edit(0, orbit, 2000)).status).toBe(403);
    expect(await founded(orbit)).toBe(1974);

    expect((await edit(1, gollancz, 1928)).status).toBe(200);
    expect(await founded(gollancz)).toBe(1928);
  });
});
