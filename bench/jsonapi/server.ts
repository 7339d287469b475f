import { createDatabase, createPool } from '../../src/db/pool.ts';
import { loadConfig } from '../../src/config/config.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';
import { buildApp } from '../../src/server/app.ts';
import { benchHeartbeatIntervalMs, buildRawServer, floorPrefix, rawHandlers } from './raw-server.ts';
import { addJsonApiRequestHooks } from '../../src/server/jsonapi/routes.ts';
import { testAuth } from '../../test/support/runtime.ts';

/** Child process: `tsx bench/jsonapi/server.ts <ours|raw|floor> <database url> <port>`; prints "ready" once listening. */
const [mode, databaseUrl = '', port = '0'] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'raw') {
    const { app } = buildRawServer(databaseUrl);
    await app.listen({ port: Number(port), host: '127.0.0.1' });
  } else {
    const pool = createPool({ connectionString: databaseUrl, max: 10, onError: () => undefined });
    const app = await buildApp({ auth: testAuth, config: loadConfig({ LOG_LEVEL: 'silent', AGENT_HEARTBEAT_INTERVAL: String(benchHeartbeatIntervalMs) }), registry: await loadRegistry(), database: { pool, db: createDatabase(pool) }, logger: false });
    if (mode === 'floor') {
      // Our whole server (global hooks, metrics, negotiation, authentication) with the baseline's hand-written
      // handlers where the engine would run: the most any engine could reach on this stack.
      const handlers = rawHandlers(databaseUrl);
      await app.register(
        async (scope) => {
          addJsonApiRequestHooks(scope);
          scope.get('/agents/:id', handlers.agent);
          scope.get('/work_items', handlers.workItems);
        },
        { prefix: floorPrefix },
      );
    }
    await app.listen({ port: Number(port), host: '127.0.0.1' });
  }
  console.log('ready');
  // Exit normally on a signal, so --cpu-prof can write its profile.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
