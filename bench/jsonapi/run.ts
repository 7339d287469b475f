import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { cpuSeconds, load, median, type LoadResult } from '../support/autocannon.ts';
import { benchDatabase } from '../support/database.ts';
import { floorPrefix } from './raw-server.ts';

/**
 * bench/jsonapi: the JSON:API engine against a hand-written Fastify + pg route running the same SQL and writing the
 * same bytes (checked before measuring), on 10,000 work items, both authenticating the calling agent by its token. Servers run one at a time in their own process on
 * the same port; rounds alternate and the median counts. Targets: ours/raw >= 0.8 (single GET), >= 0.6 (list+include).
 */
const seconds = Number(process.env['BENCH_SECONDS'] ?? 8);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const connections = 16;
const port = 45_871;
const root = path.resolve(import.meta.dirname, '../..');
/** Requests come from an agent, as clients do: both servers look its token up (one statement) on every request. */
const agentToken = 'ssa_bench-agent-token-0123456789abcdef';
const headers = { authorization: `Bearer ${agentToken}` };

async function seed(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO agents (agent_id, capabilities, metadata, last_heartbeat)
    SELECT 'bench-agent-' || i, ARRAY['build', 'test'], jsonb_build_object('rack', i % 7), now() FROM generate_series(1, 200) AS i`);
  await client.query(`INSERT INTO work_items (work_type, description, priority, status, claimed_by, claimed_at, payload, inserted_at)
    SELECT (ARRAY['build', 'test', 'deploy'])[1 + i % 3], 'bench item ' || i, (ARRAY['low', 'medium', 'high', 'critical'])[1 + i % 4],
           CASE WHEN i % 2 = 0 THEN 'claimed' ELSE 'pending' END,
           CASE WHEN i % 2 = 0 THEN (SELECT id FROM agents ORDER BY agent_id OFFSET (i % 200) LIMIT 1) END,
           CASE WHEN i % 2 = 0 THEN now() END, jsonb_build_object('n', i), now() - (i || ' milliseconds')::interval
    FROM generate_series(1, 10000) AS i`);
  await client.query(`UPDATE agents SET token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') WHERE agent_id = 'bench-agent-1'`, [agentToken]);
  const { rows } = await client.query<{ id: string }>('SELECT id FROM agents ORDER BY agent_id LIMIT 1');
  await client.end();
  return rows[0]?.id ?? '';
}

/** A load run and the server's CPU microseconds per request during it. */
type Measured = LoadResult & { readonly cpuUs: number };

/** BENCH_PROFILE=1: --cpu-prof of both servers into .data/profiles/jsonapi (one round is enough). */
const profileDir = process.env['BENCH_PROFILE'] === '1' ? path.join(root, '.data/profiles/jsonapi') : undefined;

type Mode = 'ours' | 'raw' | 'floor';

/** Where a case's URL lives on a server: the floor server mounts the baseline's handlers under its own prefix. */
const pathOn = (mode: Mode, path: string): string => (mode === 'floor' ? path.replace('/api/json', floorPrefix) : path);

async function start(mode: Mode, url: string): Promise<ChildProcess> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${mode}`];
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, 'bench/jsonapi/server.ts', mode, url, String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function bodies(paths: readonly string[]): Promise<string[]> {
  return Promise.all(paths.map(async (p) => (await fetch(`http://127.0.0.1:${port}${p}`, { headers: { accept: 'application/vnd.api+json', ...headers } })).text()));
}

async function main(): Promise<void> {
  const database = await benchDatabase('ss_bench_jsonapi');
  try {
    const agentId = await seed(database.url);
    const allCases = [
      { name: 'GET /api/json/agents/{id}', path: `/api/json/agents/${agentId}`, target: 0.8 },
      { name: 'GET /api/json/work_items?page[limit]=50&include=agent', path: '/api/json/work_items?page[limit]=50&include=agent', target: 0.6 },
    ];
    // BENCH_CASE=0|1: one case only (profiling).
    const only = process.env['BENCH_CASE'];
    const cases = only === undefined ? allCases : allCases.filter((_, i) => String(i) === only);
    const results: Record<string, Record<Mode, Measured[]>> = Object.fromEntries(cases.map((c) => [c.name, { ours: [], raw: [], floor: [] }]));
    let reference: string[] | undefined;
    for (let round = 0; round < rounds; round += 1) {
      for (const mode of ['ours', 'raw', 'floor'] as const) {
        const server = await start(mode, database.url);
        const produced = await bodies(cases.map((c) => pathOn(mode, c.path)));
        reference ??= produced;
        const differing = produced.findIndex((body, i) => body !== reference?.[i]);
        if (differing >= 0) {
          const body = produced[differing] ?? '';
          const expected = reference[differing] ?? '';
          let at = 0;
          while (at < body.length && body[at] === expected[at]) at += 1;
          throw new Error(`${mode} does not answer the same bytes for ${cases[differing]?.path}, from offset ${at}:\n${mode}: ${body.slice(at, at + 300)}\nours: ${expected.slice(at, at + 300)}`);
        }
        for (const c of cases) {
          const url = `http://127.0.0.1:${port}${pathOn(mode, c.path)}`;
          await load(url, { connections, seconds: 1, headers });
          const cpuBefore = await cpuSeconds(server.pid);
          const measured = await load(url, { connections, seconds, headers });
          const cpuAfter = await cpuSeconds(server.pid);
          const cpuUs = cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : ((cpuAfter - cpuBefore) * 1e6) / measured.requests;
          results[c.name]?.[mode].push({ ...measured, cpuUs });
        }
        await stop(server);
      }
    }
    const report = cases.map((c) => {
      const r = results[c.name] ?? { ours: [], raw: [], floor: [] };
      const rps = (mode: Mode): number => median(r[mode].map((x) => x.requestsPerSecond));
      const cpu = (mode: Mode): number => median(r[mode].map((x) => x.cpuUs));
      return {
        case: c.name,
        ours_rps: Math.round(rps('ours')),
        ours_p99_ms: median(r.ours.map((x) => x.p99Ms)),
        raw_rps: Math.round(rps('raw')),
        raw_p99_ms: median(r.raw.map((x) => x.p99Ms)),
        ratio: Number((rps('ours') / rps('raw')).toFixed(2)),
        // The server's CPU time per request (user + system, from /proc): steadier than throughput on a shared machine.
        ours_cpu_us: Math.round(cpu('ours')),
        raw_cpu_us: Math.round(cpu('raw')),
        cpu_ratio: Number((cpu('raw') / cpu('ours')).toFixed(2)),
        // Our server with the baseline's handlers in place of the engine: the ceiling for any engine on this stack.
        floor_rps: Math.round(rps('floor')),
        floor_cpu_us: Math.round(cpu('floor')),
        floor_ratio: Number((rps('floor') / rps('raw')).toFixed(2)),
        target: c.target,
        met: rps('ours') / rps('raw') >= c.target,
        errors: [...r.ours, ...r.raw, ...r.floor].reduce((n, x) => n + x.errors + x.non2xx, 0),
      };
    });
    console.table(report);
    // Only the standard configuration is the record (a profiling or single-case run is not).
    if (only === undefined && profileDir === undefined) await writeFile(path.join(root, 'bench/jsonapi/last-run.json'), `${JSON.stringify({ at: new Date().toISOString(), seconds, rounds, connections, report }, null, 2)}\n`);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
