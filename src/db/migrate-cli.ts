import pino from 'pino';
import { ConfigError, loadConfig } from '../config/config.ts';
import { openDatabase } from './database.ts';
import { migrateDatabase } from './migrate.ts';

/** npm run db:migrate: apply drizzle/migrations to the configured (or embedded) database, then exit. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const database = await openDatabase(config, log);
  try {
    await migrateDatabase(database.pool);
    log.info({ database: database.description }, 'migrations applied');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
