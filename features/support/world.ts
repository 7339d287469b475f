import { AfterAll, After, BeforeAll, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { canConnect, machinePostgresUrl, withDatabase } from '../../test/support/database-server.ts';
import { removeProject, type CommandResult, type ServerProcess } from '../../test/support/project-copy.ts';

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
  if (this.server !== undefined && this.server.child.exitCode === null) {
    this.server.child.kill('SIGTERM');
    await this.server.exited;
  }
  for (const name of this.databases) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  if (this.project !== undefined) await removeProject(this.project);
});

setWorldConstructor(ProjectWorld);
