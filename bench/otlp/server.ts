import { loadConfig } from '../../src/config/config.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';
import { buildApp } from '../../src/server/app.ts';
import { testAuth } from '../../test/support/runtime.ts';

/**
 * Child process of bench/otlp/run.ts: `node --import tsx bench/otlp/server.ts <database url>` (one process, so its
 * /proc status is the server's own memory). OTLP_* come from the environment; prints `listening <url>`.
 */
const [databaseUrl = ''] = process.argv.slice(2);

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const pool = createPool({ connectionString: databaseUrl, max: config.DATABASE_POOL_SIZE, onError: () => undefined });
  const app = await buildApp({
    auth: testAuth,
    config,
    registry: await loadRegistry(),
    database: { pool, db: createDatabase(pool) },
    logger: false,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`listening ${url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app
        .close()
        .then(() => pool.end())
        .then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
