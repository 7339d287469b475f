import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/bus.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { eventually, seedRegistry, testAdminToken, testAuth, testConfig } from '../support/runtime.ts';
import { call, registerAgent, submitWork } from './support.ts';

let database: TestDatabase;
let bus: EventBus;
/** Two servers on one database and one bus, like two processes: each counts its own changes. */
let app: FastifyInstance;
let otherApp: FastifyInstance;

const scraperToken = testAuth.scraperTokens[0] ?? '';
const quiet = { warn: () => undefined };

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  bus = new EventBus(database.pool.options, quiet);
  await bus.start();
  const registry = await seedRegistry();
  app = await buildApp({ config: testConfig(), registry, database, auth: testAuth, logger: false, bus });
  otherApp = await buildApp({ config: testConfig(), registry, database, auth: testAuth, logger: false, bus });
});

afterAll(async () => {
  await app.close();
  await otherApp.close();
  await bus.stop();
  await database.drop();
});

const scrape = async (target: FastifyInstance = app): Promise<string> => {
  const response = await target.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${scraperToken}` } });
  expect(response.statusCode).toBe(200);
  return response.body;
};

/** The value of one sample (`name{labels} value`), undefined when absent. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('is for the admin and METRICS_TOKENS holders only', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().errors[0].code).toBe('UNAUTHORIZED');
    const agent = await registerAgent(app, 'metrics-nosy-agent');
    const refused = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${agent.token}` } });
    expect(refused.statusCode).toBe(403);
    const admin = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${testAdminToken}` } });
    expect(admin.statusCode).toBe(200);
    expect(admin.headers['content-type']).toContain('text/plain; version=0.0.4');
  });

  it('counts committed claims and completions by team, work type and priority, once (in the process that made them)', async () => {
    const agent = await registerAgent(app, 'metrics-agent');
    const item = await submitWork(app, agent.token, { work_type: 'metrics_build', priority: 'high', team: 'metrics_team' });
    const untagged = await submitWork(app, agent.token, { work_type: 'metrics_build', priority: 'low' });
    const claimSeries = 'self_sustaining_work_claims_total{team="metrics_team",work_type="metrics_build",priority="high"}';
    const before = sample(await scrape(), claimSeries) ?? 0;

    await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token });
    await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/start`, { token: agent.token });
    await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/complete`, { token: agent.token });
    await call(app, 'PUT', `/api/coordination/work_items/${untagged.workItemId}/claim`, { token: agent.token });
    await call(app, 'PUT', `/api/coordination/work_items/${untagged.workItemId}/fail`, { token: agent.token });
    // A refused claim (already claimed) is no claim.
    expect((await call(app, 'PUT', `/api/coordination/work_items/${item.workItemId}/claim`, { token: agent.token })).status).toBe(409);

    await eventually(async () => sample(await scrape(), 'self_sustaining_work_completions_total{team="unknown",status="failed"}') === 1, { intervalMs: 50 });
    const text = await scrape();
    expect(sample(text, claimSeries)).toBe(before + 1);
    expect(sample(text, 'self_sustaining_work_claims_total{team="unknown",work_type="metrics_build",priority="low"}')).toBe(1);
    expect(sample(text, 'self_sustaining_work_completions_total{team="metrics_team",status="completed"}')).toBe(1);
    // Claim latency: both granted claims and the refused one, by outcome.
    expect(sample(text, 'self_sustaining_work_claim_duration_seconds_count{action="claim_work",outcome="ok"}')).toBe(2);
    expect(sample(text, 'self_sustaining_work_claim_duration_seconds_count{action="claim_work",outcome="state_conflict"}')).toBe(1);
    // The other process saw the same events on the bus and did not count them.
    expect(sample(await scrape(otherApp), claimSeries)).toBeUndefined();
  });

  it('reports the coordination gauges from the database, the same in every process', async () => {
    const status = (await call(app, 'GET', '/api/coordination/status', { token: testAdminToken })).body.data;
    // A scrape may reuse the status read of one a moment earlier: wait for a fresh one.
    await eventually(async () => sample(await scrape(), 'self_sustaining_agents_count') === status.agents.total && sample(await scrape(otherApp), 'self_sustaining_agents_count') === status.agents.total, { intervalMs: 50 });
    for (const text of [await scrape(), await scrape(otherApp)]) {
      expect(sample(text, 'self_sustaining_coordination_status_up')).toBe(1);
      expect(sample(text, 'self_sustaining_active_agents_count')).toBe(status.agents.active);
      expect(sample(text, 'self_sustaining_agents_count')).toBe(status.agents.total);
      expect(sample(text, 'self_sustaining_active_work_items_count')).toBe(status.work.by_status.claimed + status.work.by_status.in_progress);
      expect(sample(text, 'self_sustaining_coordination_health_score')).toBe(status.health_score);
      expect(sample(text, 'self_sustaining_work_queue_depth{priority="low"}')).toBe(status.work.pending_by_priority.low);
      expect(sample(text, 'self_sustaining_work_items_count{status="completed"}')).toBe(status.work.by_status.completed);
      expect(sample(text, 'self_sustaining_velocity_points_total')).toBe(status.velocity.total_points);
    }
  });

  it('exposes HTTP request counts by route template, and process metrics', async () => {
    const text = await scrape();
    expect(sample(text, 'self_sustaining_http_requests_total{method="PUT",route="/api/coordination/work_items/:work_id/claim",status="409"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('self_sustaining_process_resident_memory_bytes');
    expect(text).not.toMatch(/route="\/api\/coordination\/work_items\/work_/);
  });
});
