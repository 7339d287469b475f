import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { errorCodes, expectValidDocument, jsonApi, resource, validated } from '../support/jsonapi.ts';
import { testApp } from '../support/runtime.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
  expect(validated.count).toBeGreaterThan(15);
});

const body = JSON.stringify(resource('work_item', { work_type: 'build' }));

describe('content negotiation (JSON:API 1.1)', () => {
  it.each([
    ['application/vnd.api+json', 201],
    ['application/vnd.api+json; profile="https://example.com/p"', 201],
    ['application/json', 201],
    ['application/json; charset=utf-8', 201],
    ['application/vnd.api+json; charset=utf-8', 415],
    ['application/vnd.api+json; ext="https://example.com/unknown"', 415],
    ['text/plain', 415],
    ['application/x-www-form-urlencoded', 415],
  ])('Content-Type %s -> %i', async (contentType, status) => {
    const response = await jsonApi(app, 'POST', '/api/json/work_items', body, { 'content-type': contentType });
    expect(response.status).toBe(status);
    if (status === 415) expect(response.body.errors[0]).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', source: { header: 'Content-Type' } });
  });

  it.each([
    ['application/vnd.api+json', 200],
    ['application/vnd.api+json; charset=utf-8', 406],
    ['application/vnd.api+json; charset=utf-8, application/vnd.api+json', 200],
    ['application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', 200],
    ['application/vnd.api+json; ext="https://example.com/nope"', 406],
    ['application/vnd.api+json; q=0.9', 200],
    ['*/*', 200],
    ['application/json', 200],
  ])('Accept %s -> %i', async (accept, status) => {
    const response = await jsonApi(app, 'GET', '/api/json/work_items', undefined, { accept });
    expect(response.status).toBe(status);
    if (status === 406) expect(errorCodes(response)).toEqual(['NOT_ACCEPTABLE']);
  });

  it('answers with exactly application/vnd.api+json, errors included', async () => {
    const ok = await app.inject({ method: 'GET', url: '/api/json/agents' });
    expect(ok.headers['content-type']).toBe('application/vnd.api+json');
    const missing = await app.inject({ method: 'GET', url: '/api/json/agents/00000000-0000-4000-8000-000000000000' });
    expect(missing.headers['content-type']).toBe('application/vnd.api+json');
  });
});

describe('unknown routes and methods', () => {
  it('an unknown path under /api/json is a JSON:API 404', async () => {
    const response = await jsonApi(app, 'GET', '/api/json/robots');
    expect(response.status).toBe(404);
    expect(errorCodes(response)).toEqual(['ROUTE_NOT_FOUND']);
  });

  it.each([
    ['PUT', '/api/json/work_items', 'GET, POST'],
    ['POST', '/api/json/agents', 'GET'],
    ['DELETE', '/api/json/telemetry_events/00000000-0000-4000-8000-000000000000', 'GET'],
    ['GET', '/api/json/operations', 'POST'],
  ] as const)('%s %s is 405 with Allow: %s', async (method, url, allow) => {
    const response = await app.inject({ method, url });
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe(allow);
    const document = response.json();
    expectValidDocument(document);
    expect(document.errors[0]).toMatchObject({ status: '405', code: 'METHOD_NOT_ALLOWED' });
  });
});

describe('error objects', () => {
  it('carry status as a string, a catalog code, a title, a detail and a source', async () => {
    const response = await jsonApi(app, 'GET', '/api/json/work_items?sort=nope');
    expect(response.body.errors[0]).toEqual({ status: '400', code: 'INVALID_SORT', title: 'Invalid sort', detail: 'work_item has no sortable attribute nope', source: { parameter: 'sort' } });
  });
});
