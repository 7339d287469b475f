import { AfterAll, After, BeforeAll, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';
import { EventBus } from '../../src/events/bus.ts';
import { buildApp } from '../../src/server/app.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { canConnect, machinePostgresUrl, withDatabase } from '../../test/support/database-server.ts';
import { removeProject, type CommandResult, type ServerProcess } from '../../test/support/project-copy.ts';
import { testAuth } from '../../test/support/runtime.ts';

setDefaultTimeout(180_000);

let adminUrl = machinePostgresUrl;
let embedded: EmbeddedServer | undefined;

/** The same server choice as the vitest run: the machine's PostgreSQL, else an embedded one. */
BeforeAll(async () => {
  if (process.env['TEST_DATABASE_URL'] !== undefined) adminUrl = process.env['TEST_DATABASE_URL'];
  else if (!(await canConnect(machinePostgresUrl))) {
    embedded = await startEmbeddedPostgres('.data/features');
    adminUrl = withDatabase(embedded.connectionString, 'postgres');
  }
});

AfterAll(async () => {
  await embedded?.stop();
});

export class ProjectWorld extends World {
  project: string | undefined;
  result: CommandResult | undefined;
  server: ServerProcess | undefined;
  databases: string[] = [];
  /** An in-process server (app.inject) on a fresh migrated database, for API scenarios. */
  app: FastifyInstance | undefined;
  pool: pg.Pool | undefined;
  /** Named things a scenario created (agents, work items), by the name the scenario gave them. */
  readonly named = new Map<string, string>();
  last: { status: number; body: unknown } | undefined;
  /** Background parts a scenario started (event bus, lease sweeper), stopped after it before the database goes. */
  readonly stops: (() => Promise<void>)[] = [];

  /** `settings` override the configuration (short heartbeats and leases); `bus` starts an event bus like `npm start`. */
  async startApp(settings: Readonly<Record<string, string>> = {}, options: { readonly bus?: boolean } = {}): Promise<FastifyInstance> {
    const url = await this.freshDatabase();
    this.pool = createPool({ connectionString: url, max: 10, onError: () => undefined });
    await migrateDatabase(this.pool);
    let bus: EventBus | undefined;
    if (options.bus === true) {
      const started = new EventBus({ connectionString: url }, { warn: () => undefined });
      await started.start();
      this.stops.push(() => started.stop());
      bus = started;
    }
    this.app = await buildApp({
      auth: testAuth,
      config: loadConfig({ LOG_LEVEL: 'silent', ...settings }),
      registry: await loadRegistry(),
      database: { pool: this.pool, db: createDatabase(this.pool) },
      logger: false,
      ...(bus === undefined ? {} : { bus }),
    });
    return this.app;
  }

  requireApp(): FastifyInstance {
    if (this.app === undefined) throw new Error('no server: start with "Given the coordination server is running on a fresh database"');
    return this.app;
  }

  /** A new, empty database on the test server; dropped after the scenario. */
  async freshDatabase(): Promise<string> {
    const name = `ss_feature_${process.pid}_${this.databases.length}_${Date.now() % 100000}`;
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
    this.databases.push(name);
    return withDatabase(adminUrl, name);
  }

  requireProject(): string {
    if (this.project === undefined) throw new Error('no project copy: start with "Given a copy of the project"');
    return this.project;
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

After(async function (this: ProjectWorld) {
  await this.app?.close();
  for (const stop of this.stops) await stop();
  await this.pool?.end();
  if (this.server !== undefined && this.server.child.exitCode === null) {
    this.server.child.kill('SIGTERM');
    await this.server.exited;
  }
  for (const name of this.databases) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  if (this.project !== undefined) await removeProject(this.project);
});

setWorldConstructor(ProjectWorld);
