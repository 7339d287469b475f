import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { benchDatabase } from '../support/database.ts';
import { cpuSnapshot, cpuUsed } from './cpu.ts';
import { registerAgents, runAgents, type BenchAgent } from './ours.ts';
import { runBoss, seedJobs, startBoss } from './pgboss.ts';
import { connectRaw, runRaw } from './raw.ts';
import { median, percentile, rate, type PhaseResult } from './stats.ts';

/**
 * bench/claims: 8 agents doing claim_next -> start -> complete over 10,000 pending items through our HTTP API
 * (src/main.ts in a child process, as operators run it), against, on the same PostgreSQL and in the same run:
 * - raw: the same conditional UPDATEs from 8 plain `pg` connections (the floor HTTP, auth and the engine add to);
 * - raw + events, raw + events + auth: the same plus what our server also sends per item (the event sink's telemetry
 *   row and NOTIFY per transition, the token lookup per request), so the gap to ours is HTTP + engine alone;
 * - pg-boss 10: fetch + complete, 8 workers.
 * Targets: ours/raw >= 0.6, ours/pg-boss >= 3. Double claims must be 0, checked against the database.
 * Env: BENCH_ITEMS (10000), BENCH_AGENTS (8), BENCH_WARMUP (500), BENCH_ROUNDS (1), BENCH_ONLY=ours, BENCH_PROFILE=1
 * (--cpu-prof of the server into .data/profiles/claims), BENCH_LOG_LEVEL (warn),
 * BENCH_SOCKET (a Unix socket directory instead of TCP, for every system).
 */
const env = process.env;
const items = Number(env['BENCH_ITEMS'] ?? 10_000);
const workers = Number(env['BENCH_AGENTS'] ?? 8);
const warmupItems = Number(env['BENCH_WARMUP'] ?? 500);
const rounds = Number(env['BENCH_ROUNDS'] ?? 1);
const maxConcurrentWork = 10;
const profileDir = env['BENCH_PROFILE'] === '1' ? path.resolve(import.meta.dirname, '../../.data/profiles/claims') : undefined;
const port = 45_872;
const origin = `http://127.0.0.1:${port}`;
const root = path.resolve(import.meta.dirname, '../..');
const targets = { raw: 0.6, pgBoss: 3 } as const;
/** BENCH_SOCKET=/var/run/postgresql: every system talks to PostgreSQL over its Unix socket instead of TCP. */
const socketDir = env['BENCH_SOCKET'];
const viaSocket = (url: string): string => {
  if (socketDir === undefined) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('host', socketDir);
  return parsed.toString();
};
/** BENCH_ONLY=ours (profiling): measure only our server. */
const onlyOurs = env['BENCH_ONLY'] === 'ours';

/** `count` pending items, priorities cycling low..critical, oldest first; the tables emptied first (fast SQL, not the API). */
async function seedWork(pool: pg.Pool, count: number): Promise<void> {
  await pool.query('TRUNCATE work_items, telemetry_events');
  await pool.query(
    `INSERT INTO work_items (work_type, description, priority, status, payload, inserted_at, updated_at)
     SELECT (ARRAY['build', 'test', 'deploy'])[1 + i % 3], 'bench item ' || i, (ARRAY['low', 'medium', 'high', 'critical'])[1 + i % 4],
            'pending', jsonb_build_object('n', i), now() - ((${count} - i) || ' milliseconds')::interval, now()
     FROM generate_series(1, $1::int) AS i`,
    [count],
  );
  await pool.query('VACUUM ANALYZE work_items');
}

interface Verdict {
  readonly total: number;
  readonly completed: number;
  /** Items handed to more than one worker, or whose claimed_by is not the worker that got them. */
  readonly doubleClaims: number;
}

/** From the database: every item completed exactly once, by the one agent that claimed it. */
async function verifyWork(pool: pg.Pool, result: PhaseResult): Promise<Verdict> {
  const { rows } = await pool.query<{ id: string; status: string; claimed_by: string | null }>(
    'SELECT id, status, claimed_by FROM work_items',
  );
  const claimer = new Map<string, string>();
  let duplicates = 0;
  for (const claim of result.claims) {
    if (claimer.has(claim.id)) duplicates += 1;
    claimer.set(claim.id, claim.by);
  }
  const mismatched = rows.filter((r) => r.claimed_by === null || claimer.get(r.id) !== r.claimed_by).length;
  return {
    total: rows.length,
    completed: rows.filter((r) => r.status === 'completed').length,
    doubleClaims: duplicates + mismatched,
  };
}

async function verifyJobs(pool: pg.Pool, queue: string, result: PhaseResult): Promise<Verdict> {
  const { rows } = await pool.query<{ total: number; completed: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'completed')::int AS completed FROM pgboss.job WHERE name = $1`,
    [queue],
  );
  const duplicates = result.claims.length - new Set(result.claims.map((c) => c.id)).size;
  return { total: rows[0]?.total ?? 0, completed: rows[0]?.completed ?? 0, doubleClaims: duplicates };
}

async function startServer(url: string): Promise<ChildProcess> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, 'src/main.ts'], {
    cwd: root,
    env: {
      ...env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      API_ADMIN_TOKEN: randomBytes(24).toString('hex'),
      AGENT_REGISTRATION: 'open',
      MAX_CONCURRENT_WORK: String(maxConcurrentWork),
      // Request logging off (warn): what an operator running for throughput does; the default (info) logs two lines a request.
      LOG_LEVEL: env['BENCH_LOG_LEVEL'] ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`))),
  );
  const deadline = Date.now() + 60_000;
  const ready = (async () => {
    while (Date.now() < deadline) {
      const up = await fetch(`${origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('server did not answer /api/health within 60 s');
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => undefined);
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

type SystemKey = 'ours' | 'raw' | 'rawEvents' | 'rawAll' | 'pgBoss';

/** The systems, in the order they are printed. */
const systems: readonly { readonly key: SystemKey; readonly name: string }[] = [
  { key: 'ours', name: 'ours: HTTP API (claim_next, start, complete)' },
  { key: 'raw', name: 'raw SQL: same UPDATEs, 8 pg connections' },
  { key: 'rawEvents', name: 'raw SQL + events (row in the statement, batched NOTIFY)' },
  { key: 'rawAll', name: 'raw SQL + events + auth lookup (= our SQL)' },
  { key: 'pgBoss', name: 'pg-boss 10: fetch + complete, 8 workers' },
];

interface Measured {
  readonly result: PhaseResult;
  readonly verdict: Verdict;
  /** CPU seconds per process group during the phase (Linux). */
  readonly cpu: Record<string, number> | undefined;
}

const rounded = (n: number, digits = 1): number => Number(n.toFixed(digits));

/** The median round by throughput (its latencies are reported), the median throughput, every round's correctness. */
function summarize(name: string, results: readonly Measured[]) {
  const middle = [...results].sort((a, b) => rate(a.result) - rate(b.result))[Math.floor(results.length / 2)];
  if (middle === undefined) throw new Error(`${name}: no results`);
  return {
    system: name,
    items: middle.result.items,
    seconds: rounded(middle.result.seconds, 1),
    'claims/s': Math.round(median(results.map((r) => rate(r.result)))),
    'p50 claim ms': rounded(percentile(middle.result.claimMs, 50), 1),
    'p99 claim ms': rounded(percentile(middle.result.claimMs, 99), 1),
    'p99 item ms': rounded(percentile(middle.result.cycleMs, 99), 1),
    'double claims': results.reduce((n, r) => n + r.verdict.doubleClaims, 0),
    completed: results.map((r) => `${r.verdict.completed}/${r.verdict.total}`).join(' '),
  };
}

/** CPU milliseconds per item by process group, and how busy the machine was (2 cores = 200%). */
function cpuRow(name: string, measured: Measured) {
  const cpu = measured.cpu;
  if (cpu === undefined) return { system: name };
  const perItem = (group: string): number => rounded(((cpu[group] ?? 0) * 1000) / measured.result.items, 2);
  return {
    system: name,
    'server ms/item': perItem('server'),
    'postgres ms/item': perItem('postgres'),
    'bench client ms/item': perItem('bench client'),
    'other ms/item': perItem('other'),
    'softirq ms/item': perItem('machine softirq'),
    'machine busy': `${Math.round(((cpu['machine busy'] ?? 0) / measured.result.seconds) * 100)}%`,
    steal: `${Math.round(((cpu['machine steal'] ?? 0) / measured.result.seconds) * 100)}%`,
  };
}

async function main(): Promise<void> {
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true });
  const created = await benchDatabase('ss_bench_claims');
  const database = { url: viaSocket(created.url), drop: created.drop };
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const measured: Record<SystemKey, Measured[]> = { ours: [], raw: [], rawEvents: [], rawAll: [], pgBoss: [] };
  let serverPid: number | undefined;
  const databaseName = new URL(database.url).pathname.slice(1);
  const groupOf = (pid: number, comm: string, command: string): string => {
    if (pid === process.pid) return 'bench client';
    if (pid === serverPid) return 'server';
    if (!comm.startsWith('postgres')) return 'other';
    // Backends name their database ("postgres: 15/main: user db host(port) ..."); other databases' are other work.
    const backend = /^postgres: [^:]+: \S+ (\S+) /.exec(command);
    return backend === null || backend[1] === databaseName ? 'postgres' : 'other';
  };
  const phase = async (
    run: () => Promise<PhaseResult>,
    verify: (result: PhaseResult) => Promise<Verdict>,
  ): Promise<Measured> => {
    const before = await cpuSnapshot(groupOf);
    const result = await run();
    const cpu = cpuUsed(before, await cpuSnapshot(groupOf));
    return { result, verdict: await verify(result), cpu };
  };
  try {
    let agents: BenchAgent[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const server = await startServer(database.url);
      serverPid = server.pid;
      try {
        if (agents.length === 0) agents = await registerAgents(origin, workers);
        await seedWork(pool, warmupItems);
        await runAgents('warm-up', origin, agents);
        await seedWork(pool, items);
        const registered = agents;
        measured.ours.push(
          await phase(
            () => runAgents('ours', origin, registered),
            (r) => verifyWork(pool, r),
          ),
        );
      } finally {
        await stopServer(server);
      }
      if (onlyOurs) continue;
      const rawAgents = agents.map((a) => ({
        id: a.id,
        tokenHash: createHash('sha256').update(a.token).digest('hex'),
      }));
      const variants = [
        ['raw', { events: false, auth: false }],
        ['rawEvents', { events: true, auth: false }],
        ['rawAll', { events: true, auth: true }],
      ] as const;
      for (const [key, options] of variants) {
        // Connected before and closed after the measure, so their backends' CPU is counted.
        const { clients, close } = await connectRaw(database.url, rawAgents.length);
        try {
          await seedWork(pool, warmupItems);
          await runRaw('warm-up', clients, rawAgents, { ...options, maxConcurrentWork, notifyPool: pool });
          await seedWork(pool, items);
          measured[key].push(
            await phase(
              () => runRaw(key, clients, rawAgents, { ...options, maxConcurrentWork, notifyPool: pool }),
              (r) => verifyWork(pool, r),
            ),
          );
        } finally {
          await close();
        }
      }
      const boss = await startBoss(database.url, workers);
      try {
        const warmQueue = `bench-claims-warm-up-${round}`;
        const measuredQueue = `bench-claims-${round}`;
        await seedJobs(boss, warmQueue, Math.min(warmupItems, 200));
        await runBoss('warm-up', boss, warmQueue, workers);
        await seedJobs(boss, measuredQueue, items);
        measured.pgBoss.push(
          await phase(
            () => runBoss('pg-boss', boss, measuredQueue, workers),
            (r) => verifyJobs(pool, measuredQueue, r),
          ),
        );
      } finally {
        await boss.stop({ graceful: false, close: true });
      }
    }

    const shown = systems.filter((s) => measured[s.key].length > 0);
    const rows = shown.map((s) => summarize(s.name, measured[s.key]));
    console.table(rows);
    console.table(shown.flatMap((s) => measured[s.key].map((m) => cpuRow(s.name, m))));
    const claimsPerSecond = (key: SystemKey): number => median(measured[key].map((m) => rate(m.result)));
    const doubleClaims = rows.reduce((n, r) => n + r['double claims'], 0);
    const ratios = onlyOurs
      ? undefined
      : {
          ours_over_raw: rounded(claimsPerSecond('ours') / claimsPerSecond('raw'), 2),
          ours_over_pg_boss: rounded(claimsPerSecond('ours') / claimsPerSecond('pgBoss'), 2),
          ours_over_our_sql: rounded(claimsPerSecond('ours') / claimsPerSecond('rawAll'), 2),
          raw_over_pg_boss: rounded(claimsPerSecond('raw') / claimsPerSecond('pgBoss'), 2),
        };
    const met =
      ratios === undefined
        ? undefined
        : { raw: ratios.ours_over_raw >= targets.raw, pgBoss: ratios.ours_over_pg_boss >= targets.pgBoss };
    if (ratios !== undefined && met !== undefined) {
      console.log(`ours/raw     = ${ratios.ours_over_raw} (target >= ${targets.raw}: ${met.raw ? 'met' : 'MISSED'})`);
      console.log(
        `ours/pg-boss = ${ratios.ours_over_pg_boss} (target >= ${targets.pgBoss}: ${met.pgBoss ? 'met' : 'MISSED'})`,
      );
      console.log(
        `ours/(our SQL sent raw) = ${ratios.ours_over_our_sql} (what HTTP, JSON:API and the engine cost beyond the SQL)`,
      );
      console.log(`raw/pg-boss  = ${ratios.raw_over_pg_boss} (the SQL floor against pg-boss)`);
    }
    console.log(
      `double claims: ${doubleClaims}${doubleClaims === 0 ? ' (from the database: every item completed exactly once, by the agent that claimed it)' : ' — FAILED'}`,
    );
    for (const s of shown)
      for (const { result } of measured[s.key])
        for (const problem of result.problems.slice(0, 5)) console.log(`${s.key}: ${problem}`);
    // Only the standard configuration is kept as the reference run; experiments just print.
    const standard = socketDir === undefined && !onlyOurs && items === 10_000 && workers === 8;
    if (standard) {
      await writeFile(
        path.join(import.meta.dirname, 'last-run.json'),
        `${JSON.stringify({ at: new Date().toISOString(), node: process.version, items, workers, rounds, warmupItems, socket: socketDir ?? null, rows, ratios, targets, met, doubleClaims, cpu: shown.map((s) => ({ system: s.key, rounds: measured[s.key].map((m) => m.cpu) })) }, null, 2)}\n`,
      );
    }
    const all = shown.flatMap((s) => measured[s.key]);
    const incomplete = all.some(
      (m) => m.result.problems.length > 0 || m.verdict.completed !== m.verdict.total || m.verdict.total !== items,
    );
    if (doubleClaims > 0 || incomplete) process.exitCode = 1;
  } finally {
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
