import pino from 'pino';
import { ConfigError, loadConfig, redactConfig } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { DefinitionError } from '../resources/model/index.ts';
import { loadRegistry } from './runtime/load-runtime.ts';
import { StaleSchemaError } from './runtime/registry.ts';
import { buildApp } from './server/app.ts';

/** Problems the operator can fix: print one clear message, no stack. */
const isStartupProblem = (error: unknown): error is Error =>
  error instanceof ConfigError || error instanceof DefinitionError || error instanceof StaleSchemaError;

async function start(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  log.debug({ config: redactConfig(config) }, 'configuration');
  // Definitions are checked before anything starts, so a bad resource file never half-starts a server.
  const registry = await loadRegistry();
  let database: DatabaseHandle | undefined = await openDatabase(config, log);
  log.info({ database: database.description }, 'database selected');
  await migrateDatabase(database.pool);
  const app = await buildApp({ config, registry, database });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    await app.close();
    await database?.close();
    database = undefined;
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.PORT, host: config.HOST });
}

start().catch((error: unknown) => {
  if (isStartupProblem(error)) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});
