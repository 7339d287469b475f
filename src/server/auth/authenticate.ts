import { createHash, timingSafeEqual } from 'node:crypto';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { JsonValue } from '../../../resources/define.ts';
import type { Actor } from '../../actions/actor.ts';
import type { Database } from '../../db/pool.ts';
import { ApiError } from '../../jsonapi/errors.ts';
import type { Registry } from '../../runtime/registry.ts';
import type { AuthSettings } from './settings.ts';

export type Authenticate = (authorization: string | undefined) => Promise<Actor | undefined>;

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();
/** Constant-time: both sides are hashed first, so lengths never differ and never leak. */
const same = (given: Buffer, expected: Buffer): boolean => timingSafeEqual(given, expected);

const unauthorized = (detail: string): ApiError => new ApiError('UNAUTHORIZED', { detail, source: { header: 'Authorization' } });

/**
 * `Authorization: Bearer <token>` -> the actor: the admin (API_ADMIN_TOKEN), a collector (OTLP_INGEST_TOKENS), a
 * scraper (METRICS_TOKENS), or a
 * record of a resource that declares `authentication` (agents: the SHA-256 of the token is looked up). No header
 * means anonymous; a malformed header or a token nobody holds is 401.
 */
export function createAuthenticator(settings: AuthSettings, registry: Registry, db: Database): Authenticate {
  const admin = digest(settings.adminToken);
  const collectors = settings.collectorTokens.map(digest);
  const scrapers = settings.scraperTokens.map(digest);
  // One prepared statement per authenticating resource: every request runs it, so it is parsed and planned once.
  const lookups = registry.model.resources.flatMap((resource) => {
    const auth = resource.authentication;
    if (auth === undefined) return [];
    const table = registry.table(resource);
    const columns = getTableColumns(table);
    const selected = Object.fromEntries([resource.primaryKey.name, ...auth.actorAttributes].flatMap((name) => (columns[name] === undefined ? [] : [[name, columns[name]]])));
    const lookup = db.select(selected).from(table).where(eq(registry.column(resource, auth.tokenAttribute), sql.placeholder('hash'))).limit(1).prepare(`ss_auth_${resource.name}`);
    return [{ auth, lookup }];
  });
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] === undefined) throw unauthorized('Send Authorization: Bearer <token>');
    const given = digest(match[1]);
    if (same(given, admin)) return { type: 'admin' };
    if (collectors.some((c) => same(given, c))) return { type: 'collector' };
    if (scrapers.some((c) => same(given, c))) return { type: 'scraper' };
    const hash = given.toString('hex');
    for (const { auth, lookup } of lookups) {
      const [row] = await lookup.execute({ hash });
      if (row !== undefined) return { type: auth.actorType, ...(row as Record<string, JsonValue>) };
    }
    throw unauthorized('Unknown or revoked token');
  };
}
