import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { health, projectRoot, startServer, type ServerProcess } from '../support/project-copy.ts';
import { eventually } from '../support/runtime.ts';
import { call, registerAgent, submitWork } from './support.ts';

/**
 * Two real server processes (`src/main.ts`) on one database: everything that must hold "under any concurrency"
 * is decided by PostgreSQL, never by one process's memory.
 */
let database: TestDatabase;
let servers: ServerProcess[] = [];
let bases: string[] = [];
const adminToken = 'two-process-admin-token-0123456789';

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url, { poolSize: 4 });
  const env = { DATABASE_URL: database.url, API_ADMIN_TOKEN: adminToken, AGENT_REGISTRATION: 'open', LOG_LEVEL: 'warn', MAX_CONCURRENT_WORK: '10' };
  servers = await Promise.all([startServer(projectRoot, env), startServer(projectRoot, env)]);
  for (const server of servers) {
    await eventually(async () => (await health(server.port))?.status === 200, { timeoutMs: 60_000 }).catch((error: unknown) => {
      throw new Error(`server on ${server.port} did not start: ${String(error)}\n${server.output()}`);
    });
  }
  bases = servers.map((s) => `http://127.0.0.1:${s.port}`);
}, 90_000);

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => s.exited));
  await database.drop();
});

const base = (i: number): string => bases[i % bases.length] ?? '';

describe('two server processes on one database', () => {
  it('50 concurrent claims of one item, split across both processes: exactly one 200, the others 409 with Retry-After', async () => {
    const agents = await Promise.all(Array.from({ length: 50 }, (_, i) => registerAgent(base(i), `racer-${i}`)));
    const item = await submitWork(base(0), agents[0]?.token ?? '', { work_type: 'race' });
    const answers = await Promise.all(agents.map((agent, i) => call(base(i), 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token })));
    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    const losers = answers.filter((a) => a.status !== 200);
    expect(new Set(losers.map((a) => a.status))).toEqual(new Set([409]));
    expect(losers.every((a) => a.headers['retry-after'] === '1' && a.body.message === 'Work item must be pending to be claimed')).toBe(true);
    const { rows } = await database.pool.query(
      `SELECT count(*)::int AS n FROM telemetry_events WHERE event_name = ARRAY['coordination','work','claimed'] AND metadata->>'id' = $1`,
      [item.id],
    );
    expect(rows[0].n).toBe(1);
    const stored = await database.pool.query('SELECT claimed_by FROM work_items WHERE id = $1', [item.id]);
    expect(stored.rows[0].claimed_by).toBe(winners[0]?.body.data.claimed_by_id);
  });

  it('8 agents draining 500 items with claim_next: every item claimed exactly once, each agent in priority order', async () => {
    const priorities = ['low', 'medium', 'high', 'critical'] as const;
    const rank = (p: string): number => priorities.indexOf(p as (typeof priorities)[number]);
    const agents = await Promise.all(Array.from({ length: 8 }, (_, i) => registerAgent(base(i), `drainer-${i}`)));
    const submitter = agents[0]?.token ?? '';
    const submitted: string[] = [];
    for (let batch = 0; batch < 500; batch += 25) {
      const made = await Promise.all(
        Array.from({ length: 25 }, (_, j) => submitWork(base(j), submitter, { work_type: 'drain', priority: priorities[(batch + j) * 7 % 4] ?? 'low' })),
      );
      submitted.push(...made.map((m) => m.workItemId));
    }
    type Claim = { work_item_id: string; id: string; priority: string; created_at: string };
    const claimsBy = await Promise.all(
      agents.map(async (agent, i) => {
        const taken: Claim[] = [];
        for (;;) {
          const next = await call(base(i), 'POST', '/api/coordination/work_items/claim_next', { token: agent.token, body: { work_types: ['drain'] } });
          if (next.status === 204) return taken;
          if (next.status !== 200) throw new Error(`claim_next: ${next.status} ${JSON.stringify(next.body)}`);
          taken.push(next.body.data);
          const done = await call(base(i + 1), 'PUT', `/api/coordination/work_items/${next.body.data.work_item_id}/fail`, { token: agent.token, body: { result: { by: agent.agentId } } });
          if (done.status !== 200) throw new Error(`fail: ${done.status} ${JSON.stringify(done.body)}`);
        }
      }),
    );
    const all = claimsBy.flat().map((c) => c.work_item_id);
    expect(all).toHaveLength(500);
    expect(new Set(all)).toEqual(new Set(submitted));
    // Every agent got a share: SKIP LOCKED spreads the work rather than serializing it.
    expect(claimsBy.every((taken) => taken.length > 0)).toBe(true);
    for (const taken of claimsBy) {
      for (let k = 1; k < taken.length; k += 1) {
        const before = taken[k - 1] as Claim;
        const after = taken[k] as Claim;
        // Priority never rises for an agent; within a priority, older (then smaller id) first.
        expect(rank(after.priority)).toBeLessThanOrEqual(rank(before.priority));
        if (after.priority === before.priority) {
          expect(before.created_at < after.created_at || (before.created_at === after.created_at && before.id < after.id)).toBe(true);
        }
      }
    }
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM work_items WHERE work_type = 'drain' AND status = 'failed'`);
    expect(rows[0].n).toBe(500);
  });

  it('publishes every transition to every process: a live feed on one process sees a claim made on the other, with its trace id', async () => {
    const agent = await registerAgent(base(0), 'feed-agent');
    const item = await submitWork(base(0), agent.token, { work_type: 'feed', team: 'feed_team' });
    const controller = new AbortController();
    const feed = await fetch(`${base(1)}/api/coordination/events`, { headers: { authorization: `Bearer ${agent.token}` }, signal: controller.signal });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/event-stream');
    const reader = feed.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const decoder = new TextDecoder();
    let received = '';
    // The stream is open once its first comment arrives; only then is the claim made.
    while (!received.includes(': connected')) received += decoder.decode((await reader.read()).value, { stream: true });

    const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    const claimed = await call(base(0), 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(claimed.status).toBe(200);
    const marker = 'event: coordination.work.claimed\n';
    try {
      while (!received.includes(marker) || !received.slice(received.indexOf(marker)).includes('\n\n')) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`feed ended: ${received}`);
        received += decoder.decode(chunk.value, { stream: true });
      }
    } finally {
      controller.abort();
    }
    const block = received.slice(received.indexOf(marker)).split('\n\n')[0] ?? '';
    const data = JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))?.slice('data: '.length) ?? 'null');
    expect(data).toMatchObject({
      event: ['coordination', 'work', 'claimed'],
      resource: 'work_item',
      action: 'claim_work',
      id: item.id,
      trace_id: traceId,
      attributes: { work_item_id: item.workItemId, status: 'claimed', team: 'feed_team', work_type: 'feed', claimed_by: agent.id },
    });
    expect(data).not.toHaveProperty('origin');
  });
});
