import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { runAction } from '../../src/actions/run-action.ts';
import type { Actor } from '../../src/actions/actor.ts';
import type { ResourceRecord } from '../../src/actions/context.ts';
import type { JsonValue } from '../../resources/define.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';
import type { Registry } from '../../src/runtime/registry.ts';
import { buildApp } from '../../src/server/app.ts';
import type { AuthSettings } from '../../src/server/auth/settings.ts';
import { serverContext } from '../../src/server/server-context.ts';
import type { TestDatabase } from './db.ts';

let registryPromise: Promise<Registry> | undefined;

/** The real resources/ bound to the generated drizzle/schema.ts, loaded once per test file. */
export function seedRegistry(): Promise<Registry> {
  registryPromise ??= loadRegistry();
  return registryPromise;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ...overrides });
}

/** The admin token of test servers. */
export const testAdminToken = 'test-admin-token-0123456789';
export const testAuth: AuthSettings = {
  adminToken: testAdminToken,
  agentRegistration: 'open',
  collectorTokens: ['test-collector-token-0123'],
  scraperTokens: ['test-scraper-token-0123'],
};

export async function testApp(database: Pick<TestDatabase, 'pool' | 'db'>, config: Config = testConfig(), auth: AuthSettings = testAuth): Promise<FastifyInstance> {
  const app = await buildApp({ config, registry: await seedRegistry(), database, logger: false, auth });
  await app.ready();
  return app;
}

/** Runs a named action of a seed resource the way a route would. */
export async function act(
  database: Pick<TestDatabase, 'db'>,
  resourceName: string,
  actionName: string,
  input: Readonly<Record<string, JsonValue>> = {},
  options: { id?: string; actor?: Actor | null } = {},
): Promise<ResourceRecord> {
  const registry = await seedRegistry();
  const resource = registry.resource(resourceName);
  const action = resource.actions.find((a) => a.name === actionName);
  if (action === undefined) throw new Error(`${resourceName} has no action ${actionName}`);
  // Tests act as the admin unless they say otherwise (null = anonymous).
  const actor = options.actor === null ? undefined : (options.actor ?? { type: 'admin' });
  return runAction(
    { registry, db: database.db, actor, context: serverContext(testConfig(), testAuth) },
    { resource, action, input, ...(options.id === undefined ? {} : { id: options.id }) },
  );
}

/** Polls `probe` until it returns true or the deadline passes (no fixed sleeps in tests). */
export async function eventually(probe: () => Promise<boolean>, { timeoutMs = 20_000, intervalMs = 100 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
