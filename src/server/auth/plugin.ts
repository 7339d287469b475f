import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../actions/actor.ts';
import type { Database } from '../../db/pool.ts';
import { ApiError } from '../../jsonapi/errors.ts';
import type { Registry } from '../../runtime/registry.ts';
import { createAuthenticator } from './authenticate.ts';
import type { AuthSettings } from './settings.ts';

declare module 'fastify' {
  interface FastifyInstance {
    readonly authSettings: AuthSettings;
    /** Sets `request.actor` from the Authorization header (401 on a bad token, 429 after too many bad tokens). */
    authenticate(request: FastifyRequest): Promise<Actor | undefined>;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
  }
}

export interface AuthPluginOptions {
  readonly settings: AuthSettings;
  readonly registry: Registry;
  readonly db: Database;
  /** Failed authentications allowed per client address and minute before 429. */
  readonly maxFailuresPerMinute?: number;
}

/**
 * Authentication as an infrastructure plugin: routes that need an actor call `app.authenticate(request)`.
 * Failed attempts count per client address (@fastify/rate-limit's limiter, in this process's memory: it slows
 * guessing, it does not decide anything) and past the limit the answer is 429 with Retry-After.
 */
export const authPlugin = fp(async (app: FastifyInstance, options: AuthPluginOptions) => {
  await app.register(rateLimit, { global: false });
  const failures = app.createRateLimit({ max: options.maxFailuresPerMinute ?? 20, timeWindow: 60_000, keyGenerator: (request) => request.ip });
  const authenticate = createAuthenticator(options.settings, options.registry, options.db);
  app.decorate('authSettings', options.settings);
  app.decorateRequest('actor', undefined);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    try {
      request.actor = await authenticate(request.headers.authorization);
      return request.actor;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHORIZED') throw error;
      const limit = await failures(request);
      // isAllowed means "exempt from limiting"; isExceeded is the verdict.
      if (!limit.isAllowed && limit.isExceeded) {
        throw new ApiError('TOO_MANY_REQUESTS', { detail: 'Too many failed authentications from this address; wait and retry', retryAfter: limit.ttlInSeconds });
      }
      throw error;
    }
  });
});
