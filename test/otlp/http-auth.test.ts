// Issue 7 with the authentication of issue 5: OTLP_INGEST_TOKENS set means an export needs a collector's bearer token
// (401 in OTLP otherwise, with WWW-Authenticate); unset, ingest is open. Reading traces back always needs an actor.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp, testAuth, testConfig } from '../support/runtime.ts';
import { adminAuth, decodeStatus, encodeRequest, mediaType, post, span, traceRequest } from './support/ingest.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const body = () => encodeRequest('traces', 'protobuf', traceRequest([span()]));

describe('OTLP_INGEST_TOKENS set', () => {
  it('401 without a token, as a google.rpc.Status in the request encoding with WWW-Authenticate: Bearer', async () => {
    const sent = await post(app, '/v1/traces', mediaType.protobuf, body(), { authorization: '' });
    expect(sent.status).toBe(401);
    expect(sent.headers['www-authenticate']).toBe('Bearer');
    expect(decodeStatus('protobuf', sent.body)).toEqual({
      code: 16,
      message: expect.stringContaining('OTLP ingest needs Authorization: Bearer'),
    });
  });

  it('401 for a token nobody holds; 200 for a collector token and for the admin token', async () => {
    expect(
      (
        await post(app, '/v1/traces', mediaType.json, encodeRequest('traces', 'json', traceRequest([span()])), {
          authorization: 'Bearer not-a-token',
        })
      ).status,
    ).toBe(401);
    expect((await post(app, '/v1/traces', mediaType.protobuf, body())).status).toBe(200);
    expect((await post(app, '/api/otlp/v1/traces', mediaType.protobuf, body(), adminAuth)).status).toBe(200);
  });
});

describe('OTLP_INGEST_TOKENS unset', () => {
  it('ingest is open', async () => {
    const open = await testApp(database, testConfig(), { ...testAuth, collectorTokens: [] });
    try {
      expect((await post(open, '/v1/traces', mediaType.protobuf, body(), { authorization: '' })).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('reading traces back', () => {
  it('needs an actor: 401 without a token', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/otlp/traces/${'ab'.repeat(16)}` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ code: 16, message: 'reading telemetry needs Authorization: Bearer <token>' });
  });
});
