import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import pg from 'pg';
import { copyProject, health, runCommand, startServer } from '../../test/support/project-copy.ts';
import type { ProjectWorld } from '../support/world.ts';

const deadline = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

Given(/^a copy of the project(?: with no local state)?$/, async function (this: ProjectWorld) {
  this.project = await copyProject();
});

Given('the resource file {string}:', async function (this: ProjectWorld, file: string, content: string) {
  await writeFile(path.join(this.requireProject(), file), content);
});

When('I run {string}', async function (this: ProjectWorld, command: string) {
  this.result = await runCommand(this.requireProject(), command);
});

Then('the command succeeds', function (this: ProjectWorld) {
  assert.equal(this.result?.code, 0, this.result?.output);
});

Then('the command fails saying {string}', function (this: ProjectWorld, text: string) {
  assert.notEqual(this.result?.code, 0);
  assert.ok(this.result?.output.includes(text), this.result?.output);
});

Then('{string} succeeds', async function (this: ProjectWorld, command: string) {
  const result = await runCommand(this.requireProject(), command);
  assert.equal(result.code, 0, result.output);
});

Then('a new migration in drizzle\\/migrations creates the table {string}', async function (this: ProjectWorld, table: string) {
  const dir = path.join(this.requireProject(), 'drizzle/migrations');
  const migrations = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const original = (await readdir(path.join(process.cwd(), 'drizzle/migrations'))).filter((f) => f.endsWith('.sql'));
  assert.equal(migrations.length, original.length + 1, `migrations: ${migrations.join(', ')}`);
  const newest = await readFile(path.join(dir, migrations.at(-1) ?? ''), 'utf8');
  assert.match(newest, new RegExp(`CREATE TABLE "${table}"`));
});

When('the server starts with no database configured', async function (this: ProjectWorld) {
  this.server = await startServer(this.requireProject());
});

When('the server starts with {string} set to {string}', async function (this: ProjectWorld, name: string, value: string) {
  this.server = await startServer(this.requireProject(), { [name]: value });
});

When('the server starts on a fresh database', async function (this: ProjectWorld) {
  this.server = await startServer(this.requireProject(), { DATABASE_URL: await this.freshDatabase(), API_ADMIN_TOKEN: 'feature-admin-token-0123456789' });
});

Then('GET \\/api\\/health answers {int} with the database {string}', async function (this: ProjectWorld, status: number, state: string) {
  const server = this.server;
  assert.ok(server !== undefined);
  const answer = await deadline(async () => {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    const response = await health(server.port);
    return response?.status === status ? response : undefined;
  });
  assert.deepEqual((answer.body as { services: unknown }).services, { database: state });
});

Then('the log says which database it uses without printing its password', async function (this: ProjectWorld) {
  const output = this.server?.output() ?? '';
  const password = (await readFile(path.join(this.requireProject(), '.data/postgres.password'), 'utf8')).trim();
  assert.match(output, /"database":"postgres:\/\/postgres:<redacted>@127\.0\.0\.1:\d+\/self_sustaining"/);
  assert.ok(!output.includes(password), 'the embedded database password appears in the log');
});

Then('its embedded PostgreSQL cluster is running under .data\\/postgres', async function (this: ProjectWorld) {
  const pid = await readFile(path.join(this.requireProject(), '.data/postgres/postmaster.pid'), 'utf8');
  assert.match(pid, /^\d+\n/);
});

Then('it prints the generated development admin token with a ready-to-paste curl line', async function (this: ProjectWorld) {
  const token = (await readFile(path.join(this.requireProject(), '.data/admin-token'), 'utf8')).trim();
  assert.match(this.server?.output() ?? '', new RegExp(`curl -H "Authorization: Bearer ${token}" http://127\\.0\\.0\\.1:\\d+/api/json/agents`));
  const response = await fetch(`http://127.0.0.1:${this.server?.port ?? 0}/api/json/agents`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
});

When('the server is sent SIGTERM', function (this: ProjectWorld) {
  this.server?.child.kill('SIGTERM');
});

Then('it exits with status {int}', async function (this: ProjectWorld, status: number) {
  assert.equal(await this.server?.exited, status, this.server?.output());
});

Then('it exits with status 0 and stops its embedded database', async function (this: ProjectWorld) {
  assert.equal(await this.server?.exited, 0, this.server?.output());
  const pidFile = path.join(this.requireProject(), '.data/postgres/postmaster.pid');
  await assert.rejects(readFile(pidFile), 'postmaster.pid is still there: the embedded PostgreSQL was not stopped');
});

Then('its output says {string}', function (this: ProjectWorld, text: string) {
  assert.ok(this.server?.output().includes(text), this.server?.output());
});

Then('the database has a table {string} with the columns {string}', async function (this: ProjectWorld, table: string, columns: string) {
  const rows = await query(this, `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table]);
  assert.deepEqual(rows.map((r) => r['column_name']), columns.split(', '));
});

Then('the table {string} has a unique index on {string}', async function (this: ProjectWorld, table: string, column: string) {
  const rows = await query(this, `SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE 'CREATE UNIQUE INDEX%'`, [table]);
  assert.ok(rows.some((r) => String(r['indexdef']).endsWith(`(${column})`)), JSON.stringify(rows));
});

async function query(world: ProjectWorld, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const name = world.databases.at(-1);
  assert.ok(name !== undefined, 'no database was created for this scenario');
  const url = new URL(process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
