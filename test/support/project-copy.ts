import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Left out of a copy: state and dependencies (node_modules is linked, as after `npm install`). */
const skipped = new Set(['node_modules', '.data', '.git', 'test/.generated']);

/** A copy of the project in a temporary directory, as a developer's fresh checkout would be. */
export async function copyProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ss-project-'));
  // A checkout is normally world-readable (mkdtemp makes it private), so the embedded cluster can live in .data/.
  await chmod(dir, 0o755);
  await cp(projectRoot, dir, {
    recursive: true,
    filter: (source) => !skipped.has(path.relative(projectRoot, source)),
  });
  await symlink(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
}

/** Environment without any database configuration inherited from the caller. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('DATABASE_') || name === 'PORT' || name === 'NODE_OPTIONS') delete env[name];
  return { ...env, ...extra };
}

/** Runs a shell command (e.g. `npm run codegen`) in `cwd` and collects its output. */
export function runCommand(cwd: string, command: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** `npm start` (through tsx directly, so the signal reaches the server and not only npm) on a free port. */
export async function startServer(cwd: string, env: Readonly<Record<string, string>> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(path.join(cwd, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd, env: cleanEnv({ PORT: String(port), ...env }) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, port, output: () => output, exited };
}

/** GET /api/health on a started server; undefined while it does not answer. */
export async function health(port: number): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`);
    return { status: response.status, body: await response.json() };
  } catch {
    return undefined;
  }
}
