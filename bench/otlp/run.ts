import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { median } from '../support/autocannon.ts';
import { testAuth } from '../../test/support/runtime.ts';
import { benchDatabase } from '../support/database.ts';
import { ceilingRows, insertCeilingRows } from './ceiling.ts';
import { traceBody, traceBodyOfSize } from './spans.ts';

/**
 * bench/otlp (issue 7). Part 1: protobuf ExportTraceServiceRequest bodies of 512 spans from 8 concurrent senders
 * through the real server (its own process, HTTP over loopback) → stored spans/s; against the ceiling measured in
 * the same run on the same bodies: protobufjs decode + one raw multi-row INSERT per body, 8 workers. Rounds
 * alternate, the table is emptied before each, medians count, and a digest of the stored rows proves both sides
 * wrote the same rows. Target: receiver/ceiling >= 0.7.
 * Part 2: 20 senders push 4 MiB bodies at a server with the default capacity (5 pipelines + 5 waiting): peak RSS of
 * the server process (VmHWM) must stay under 400 MB and the surplus must be answered 429/503.
 */
const spansPerBody = 512;
const bodiesPerRound = Number(process.env['BENCH_BODIES'] ?? 160);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const senders = 8;
const memorySenders = Number(process.env['BENCH_MEMORY_SENDERS'] ?? 20);
const memorySends = Number(process.env['BENCH_MEMORY_SENDS'] ?? 3);
const bigBodyBytes = 4 * 1024 * 1024;
const targetRatio = 0.7;
const rssLimitMb = 400;
/** `throughput` or `memory` runs one part only (while tuning); both by default. */
const only = process.env['BENCH_ONLY'];
const root = path.resolve(import.meta.dirname, '../..');
/** The server runs with the test credentials (OTLP_INGEST_TOKENS set): senders authenticate as a collector. */
const authorization = `Bearer ${testAuth.collectorTokens[0] ?? ''}`;

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

async function startServer(databaseUrl: string, env: Readonly<Record<string, string>>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/otlp/server.ts', databaseUrl], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.on('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Runs `work` over the indices 0..count-1 with `workers` concurrent loops. */
async function inParallel(count: number, workers: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}

async function rowDigest(pool: pg.Pool): Promise<{ spans: number; digest: string }> {
  const { rows } = await pool.query<{ spans: number; digest: string }>(
    `SELECT count(*)::int AS spans,
            md5(string_agg(md5(dedup_key || event_name::text || measurements::text || metadata::text || source || trace_id || span_id), '' ORDER BY dedup_key)) AS digest
       FROM telemetry_events WHERE dedup_key LIKE 'span:%'`,
  );
  return rows[0] ?? { spans: 0, digest: '' };
}

async function ceilingRound(pool: pg.Pool, bodies: readonly Buffer[]): Promise<number> {
  await pool.query('TRUNCATE telemetry_events');
  const started = performance.now();
  await inParallel(bodies.length, senders, async (i) => {
    const body = bodies[i];
    if (body !== undefined) await insertCeilingRows(pool, ceilingRows(body));
  });
  return performance.now() - started;
}

async function receiverRound(pool: pg.Pool, url: string, bodies: readonly Buffer[]): Promise<number> {
  await pool.query('TRUNCATE telemetry_events');
  const started = performance.now();
  const failures: string[] = [];
  await inParallel(bodies.length, senders, async (i) => {
    const body = bodies[i];
    if (body === undefined) return;
    const response = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization },
      body,
    });
    const answer = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200 || answer.length !== 0)
      failures.push(`${response.status} ${answer.toString('utf8').slice(0, 200)}`);
  });
  const elapsed = performance.now() - started;
  if (failures.length > 0)
    throw new Error(`the receiver refused ${failures.length} requests: ${failures.slice(0, 3).join('; ')}`);
  return elapsed;
}

interface MemoryResult {
  readonly statuses: Record<string, number>;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly sampledPeakRssMb: number;
  readonly bodyMb: number;
  readonly spansPerBigBody: number;
}

async function memoryOf(pid: number): Promise<{ rssKb: number; hwmKb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** One POST on its own connection; the answer's status, or 'reset' when the connection ended without one. */
function sendOnce(url: string, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let answered = false;
    const request = http.request(
      `${url}/v1/traces`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length, authorization },
      },
      (response) => {
        answered = true;
        response.resume();
        response.on('end', () => resolve(String(response.statusCode)));
        response.on('error', () => resolve(String(response.statusCode)));
      },
    );
    // A refused request is answered before its body is read and the connection closed: writing the rest then fails
    // (EPIPE/ECONNRESET) after the answer arrived, which is expected; without an answer it counts as a reset.
    request.on('error', () => {
      if (!answered) resolve('reset');
    });
    request.end(body);
  });
}

async function memoryPhase(databaseUrl: string): Promise<MemoryResult> {
  const bigBodies = Array.from({ length: 4 }, (_, i) => traceBodyOfSize(bigBodyBytes, 10_000 + i));
  const server = await startServer(databaseUrl, {});
  const pid = server.child.pid ?? 0;
  try {
    // Warm the server (JIT, pool) with one big body, then measure from its resting state.
    await sendOnce(server.url, bigBodies[0] ?? Buffer.alloc(0));
    const baseline = await memoryOf(pid);
    let sampledPeakKb = baseline.rssKb;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        sampledPeakKb = Math.max(sampledPeakKb, (await memoryOf(pid)).rssKb);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const statuses: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: memorySenders }, async (_, sender) => {
        for (let send = 0; send < memorySends; send++) {
          const status = await sendOnce(server.url, bigBodies[(sender + send) % bigBodies.length] ?? Buffer.alloc(0));
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
    sampling = false;
    await sampler;
    const final = await memoryOf(pid);
    return {
      statuses,
      baselineRssMb: baseline.rssKb / 1024,
      peakRssMb: final.hwmKb / 1024,
      sampledPeakRssMb: sampledPeakKb / 1024,
      bodyMb: (bigBodies[0]?.length ?? 0) / (1024 * 1024),
      spansPerBigBody: Math.ceil((bigBodyBytes / traceBody(spansPerBody, 0).length) * spansPerBody),
    };
  } finally {
    await stopServer(server);
  }
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

interface ThroughputResult {
  readonly bodies: number;
  readonly bodyKib: number;
  readonly receiver: number;
  readonly ceiling: number;
  readonly ratio: number;
  readonly receiverMs: readonly number[];
  readonly ceilingMs: readonly number[];
}

async function throughputPhase(databaseUrl: string, pool: pg.Pool): Promise<ThroughputResult> {
  const bodies = Array.from({ length: bodiesPerRound }, (_, i) => traceBody(spansPerBody, i));
  const spans = bodies.length * spansPerBody;
  // As many pipelines as senders, so the receiver and the ceiling both run 8 requests at once.
  const server = await startServer(databaseUrl, { OTLP_MAX_CONCURRENT_PIPELINES: String(senders) });
  const ceilingMs: number[] = [];
  const receiverMs: number[] = [];
  try {
    // Warm-up of both paths (JIT, connections), not measured.
    await ceilingRound(pool, bodies.slice(0, 16));
    await receiverRound(pool, server.url, bodies.slice(0, 16));
    let reference: { spans: number; digest: string } | undefined;
    for (let round = 0; round < rounds; round++) {
      for (const side of ['ceiling', 'receiver'] as const) {
        const ms =
          side === 'ceiling' ? await ceilingRound(pool, bodies) : await receiverRound(pool, server.url, bodies);
        (side === 'ceiling' ? ceilingMs : receiverMs).push(ms);
        const stored = await rowDigest(pool);
        if (stored.spans !== spans) throw new Error(`${side} stored ${stored.spans} spans, expected ${spans}`);
        reference ??= stored;
        if (stored.digest !== reference.digest)
          throw new Error(
            `${side} stored different rows than the ceiling (digest ${stored.digest} ≠ ${reference.digest})`,
          );
        console.log(`round ${round + 1} ${side.padEnd(8)} ${fixed(ms)} ms  ${fixed(spans / (ms / 1000))} spans/s`);
      }
    }
  } finally {
    await stopServer(server);
  }
  await pool.query('TRUNCATE telemetry_events');
  const ceiling = spans / (median(ceilingMs) / 1000);
  const receiver = spans / (median(receiverMs) / 1000);
  return {
    bodies: bodies.length,
    bodyKib: (bodies[0]?.length ?? 0) / 1024,
    receiver,
    ceiling,
    ratio: receiver / ceiling,
    receiverMs,
    ceilingMs,
  };
}

async function main(): Promise<void> {
  const database = await benchDatabase('ss_bench_otlp');
  const pool = new pg.Pool({ connectionString: database.url, max: senders });
  try {
    const throughput = only === 'memory' ? undefined : await throughputPhase(database.url, pool);
    const memory = only === 'throughput' ? undefined : await memoryPhase(database.url);
    const lines: string[] = [];
    const problems: string[] = [];
    if (throughput !== undefined) {
      lines.push(
        `throughput: ${throughput.bodies} bodies × ${spansPerBody} spans (${fixed(throughput.bodyKib)} KiB each), ${senders} concurrent senders, ${rounds} rounds, medians`,
        `  receiver (HTTP → decode → validate → rows → transaction): ${fixed(throughput.receiver)} spans/s`,
        `  ceiling  (protobufjs decode → same rows → raw INSERT):     ${fixed(throughput.ceiling)} spans/s`,
        `  ratio ${throughput.ratio.toFixed(2)} (target >= ${targetRatio}); stored rows identical on both sides (digest checked)`,
      );
      if (throughput.ratio < targetRatio) problems.push(`ratio ${throughput.ratio.toFixed(2)} below ${targetRatio}`);
    }
    if (memory !== undefined) {
      lines.push(
        `memory: ${memorySenders} senders × ${memorySends} sends of ${fixed(memory.bodyMb, 1)} MiB bodies (~${memory.spansPerBigBody} spans), 5 pipelines + 5 waiting`,
        `  answers ${JSON.stringify(memory.statuses)}; server RSS at rest ${fixed(memory.baselineRssMb)} MB, peak ${fixed(memory.peakRssMb)} MB (VmHWM; sampled ${fixed(memory.sampledPeakRssMb)} MB), limit ${rssLimitMb} MB`,
      );
      const refused = (memory.statuses['429'] ?? 0) + (memory.statuses['503'] ?? 0);
      if (memory.peakRssMb >= rssLimitMb) problems.push(`peak RSS ${fixed(memory.peakRssMb)} MB over ${rssLimitMb} MB`);
      if (refused === 0) problems.push('no request was refused with 429/503: the memory phase did not exceed capacity');
      if ((memory.statuses['reset'] ?? 0) > 0)
        problems.push(`${memory.statuses['reset']} requests ended without an answer`);
    }
    console.log(lines.join('\n'));
    if (only === undefined) {
      await writeFile(
        path.join(root, 'bench/otlp/last-run.json'),
        `${JSON.stringify({ node: process.version, spansPerBody, senders, throughput, memory }, null, 2)}\n`,
      );
    }
    if (problems.length > 0) {
      console.error(`FAILED: ${problems.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
