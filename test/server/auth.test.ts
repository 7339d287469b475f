import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.ts';
import { resolveAuthSettings } from '../../src/server/auth/settings.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { errorCodes, jsonApi, resource } from '../support/jsonapi.ts';
import { testApp, testConfig } from '../support/runtime.ts';

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

const register = async (agentId: string) => (await jsonApi(app, 'POST', '/api/json/agents/register', resource('agent', { agent_id: agentId }), { authorization: '' })).body;
const heartbeat = (id: string, token: string) => jsonApi(app, 'PATCH', `/api/json/agents/${id}/heartbeat`, undefined, { authorization: `Bearer ${token}` });

describe('agent tokens', () => {
  it('registration answers the token once; only its SHA-256 is stored and no route shows it', async () => {
    const registered = await register('token-agent');
    const token: string = registered.meta.token;
    expect(token).toMatch(/^ssa_[A-Za-z0-9_-]{43}$/);
    const { rows } = await database.pool.query('SELECT token_hash FROM agents WHERE id = $1', [registered.data.id]);
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const read = await jsonApi(app, 'GET', `/api/json/agents/${registered.data.id}`);
    expect(JSON.stringify(read.body)).not.toContain(rows[0]?.token_hash);
    expect(Object.keys(read.body.data.attributes)).not.toContain('token_hash');
    expect(errorCodes(await jsonApi(app, 'GET', `/api/json/agents?filter[token_hash]=${rows[0]?.token_hash}`))).toEqual(['INVALID_FILTER']);
    expect((await heartbeat(registered.data.id, token)).status).toBe(200);
  });

  it('the admin rotates a token (the old one stops working) and revokes it', async () => {
    const registered = await register('rotated-agent');
    const rotated = await jsonApi(app, 'PATCH', `/api/json/agents/${registered.data.id}/rotate_token`);
    expect(rotated.status).toBe(200);
    const fresh: string = rotated.body.meta.token;
    expect(fresh).not.toBe(registered.meta.token);
    expect((await heartbeat(registered.data.id, registered.meta.token)).status).toBe(401);
    expect((await heartbeat(registered.data.id, fresh)).status).toBe(200);
    await jsonApi(app, 'PATCH', `/api/json/agents/${registered.data.id}/revoke_token`);
    const revoked = await heartbeat(registered.data.id, fresh);
    expect(revoked.status).toBe(401);
    expect(revoked.body.errors[0]).toMatchObject({ code: 'UNAUTHORIZED', detail: 'Unknown or revoked token', source: { header: 'Authorization' } });
  });
});

describe('the Authorization header', () => {
  it.each([
    ['Basic dXNlcjpwYXNz', 'Send Authorization: Bearer <token>'],
    ['Bearer', 'Send Authorization: Bearer <token>'],
    ['Bearer not-a-token', 'Unknown or revoked token'],
  ])('%s is 401 with WWW-Authenticate', async (header, detail) => {
    const response = await jsonApi(app, 'GET', '/api/json/agents', undefined, { authorization: header });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="self-sustaining"');
    expect(response.body.errors[0]).toMatchObject({ code: 'UNAUTHORIZED', detail });
  });

  it('is rate limited per client address after repeated failures (429 with Retry-After); valid tokens still pass', async () => {
    const limited = await testApp(database);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i += 1) {
      statuses.push((await jsonApi(limited, 'GET', '/api/json/agents', undefined, { authorization: `Bearer wrong-${i}` })).status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
    const last = await jsonApi(limited, 'GET', '/api/json/agents', undefined, { authorization: 'Bearer wrong-again' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await jsonApi(limited, 'GET', '/api/json/agents')).status).toBe(200);
    await limited.close();
  });
});

describe('credentials from the configuration', () => {
  it('development (embedded database): an admin token is generated once into DATA_DIR/admin-token (0600) and reused', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ss-auth-'));
    try {
      const first = await resolveAuthSettings(testConfig({ DATA_DIR: dataDir }), { embedded: true });
      const second = await resolveAuthSettings(testConfig({ DATA_DIR: dataDir }), { embedded: true });
      expect(first.adminToken).toMatch(/^ssadmin_/);
      expect(second.adminToken).toBe(first.adminToken);
      expect((await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim()).toBe(first.adminToken);
      expect((await stat(path.join(dataDir, 'admin-token'))).mode & 0o777).toBe(0o600);
      expect(first.agentRegistration).toBe('open');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('any other setup needs API_ADMIN_TOKEN, of a decent length; registration is then admin-only by default', async () => {
    await expect(resolveAuthSettings(testConfig(), { embedded: false })).rejects.toThrow(ConfigError);
    await expect(resolveAuthSettings(testConfig({ API_ADMIN_TOKEN: 'short' }), { embedded: false })).rejects.toThrow(/at least 16 characters/);
    const settings = await resolveAuthSettings(testConfig({ API_ADMIN_TOKEN: 'a-long-enough-admin-token', OTLP_INGEST_TOKENS: ' c1-token , c2-token ' }), { embedded: false });
    expect(settings).toMatchObject({ agentRegistration: 'admin', collectorTokens: ['c1-token', 'c2-token'] });
    expect((await resolveAuthSettings(testConfig({ API_ADMIN_TOKEN: 'a-long-enough-admin-token', AGENT_REGISTRATION: 'open' }), { embedded: false })).agentRegistration).toBe('open');
  });
});
