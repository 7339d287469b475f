import pino from 'pino';
import { ConfigError, loadConfig, redactConfig } from './config/config.ts';
import { openDatabase } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { DefinitionError } from '../resources/model/index.ts';
import { loadRegistry } from './runtime/load-runtime.ts';
import { StaleSchemaError } from './runtime/registry.ts';
import { markInterruptedRuns, runHeartbeatMs } from './orchestrator/index.ts';
import { repeat } from './runtime/periodic.ts';
import { coordinationEnabled } from './coordination/enabled.ts';
import { startLeaseSweeper } from './coordination/lease-sweeper.ts';
import { EventBus } from './events/bus.ts';
import { buildApp } from './server/app.ts';
import { resolveAuthSettings } from './server/auth/settings.ts';
import { gracefulShutdown } from './server/shutdown.ts';

/** Problems the operator can fix: print one clear message, no stack. */
const isStartupProblem = (error: unknown): error is Error =>
  error instanceof ConfigError || error instanceof DefinitionError || error instanceof StaleSchemaError;

async function start(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  log.debug({ config: redactConfig(config) }, 'configuration');
  // Definitions are checked before anything starts, so a bad resource file never half-starts a server.
  const registry = await loadRegistry();
  const database = await openDatabase(config, log);
  log.info({ database: database.description }, 'database selected');
  await migrateDatabase(database.pool);
  // Runs whose process died (their heartbeat stopped) become `interrupted`, never `running` forever: now, and
  // periodically, since any process may die while others run. Live processes' runs keep beating and are left alone.
  const sweepRuns = async (): Promise<void> => {
    const interrupted = await markInterruptedRuns(database.db);
    if (interrupted > 0) log.warn({ interrupted }, 'workflow runs cut off by a process that died marked interrupted');
  };
  await sweepRuns();
  const auth = await resolveAuthSettings(config, { embedded: database.embedded });
  // Every process LISTENs for every committed change (live feeds, metrics): events reach them within a second.
  const bus = new EventBus(database.pool.options, log);
  await bus.start();
  const app = await buildApp({ config, registry, database, auth, bus });
  // Every process sweeps; FOR UPDATE SKIP LOCKED makes each expiry happen once however many do.
  const sweeper = coordinationEnabled(registry)
    ? startLeaseSweeper({ db: database.db, registry, leaseMs: config.WORK_CLAIM_TIMEOUT, intervalMs: config.LEASE_SWEEP_INTERVAL, origin: app.instanceId, log })
    : undefined;
  const runSweeper = repeat('interrupted-run sweep', runHeartbeatMs, sweepRuns, log);
  const stopBackground = async (): Promise<void> => {
    await runSweeper.stop();
    await sweeper?.stop();
    await bus.stop();
  };
  const stop = gracefulShutdown({ app, stopBackground, closeDatabase: () => database.close(), log });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  log.info({ agentRegistration: auth.agentRegistration, otlpIngest: auth.collectorTokens.length === 0 ? 'open' : 'token' }, 'authentication');
  if (auth.generatedAdminTokenFile !== undefined) {
    // Development only (embedded database): show the generated admin token once per start, ready to paste.
    console.log(`\nDevelopment admin token (kept in ${auth.generatedAdminTokenFile}):\n  curl -H "Authorization: Bearer ${auth.adminToken}" ${address}/api/json/agents\n`);
  }
}

start().catch((error: unknown) => {
  if (isStartupProblem(error)) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});
