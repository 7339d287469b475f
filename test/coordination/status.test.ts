import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthScore } from '../../src/coordination/status.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testAdminToken, testApp } from '../support/runtime.ts';
import { call } from './support.ts';

let database: TestDatabase;
let app: FastifyInstance;

/**
 * A seeded history with known answers. Agents: 3 live and active, 1 active but silent for an hour (offline),
 * 1 live but idle. Work: 2 pending (critical, low), 1 claimed, 1 in progress, 3 completed in the last hour after
 * 10, 20 and 30 minutes of work (one worth 8 points), 1 completed two hours ago, 1 failed.
 */
async function seedHistory(): Promise<void> {
  await database.pool.query(`
    INSERT INTO agents (agent_id, status, last_heartbeat) VALUES
      ('s-live-1', 'active', now()), ('s-live-2', 'active', now()), ('s-live-3', 'active', now() - interval '30 seconds'),
      ('s-silent', 'active', now() - interval '1 hour'), ('s-idle', 'idle', now())`);
  await database.pool.query(`
    INSERT INTO work_items (work_type, priority, status, claimed_at, completed_at, payload) VALUES
      ('build', 'critical', 'pending', NULL, NULL, '{}'),
      ('build', 'low', 'pending', NULL, NULL, '{}'),
      ('test', 'high', 'claimed', now() - interval '5 minutes', NULL, '{}'),
      ('test', 'medium', 'in_progress', now() - interval '5 minutes', NULL, '{}'),
      ('deploy', 'high', 'completed', now() - interval '15 minutes', now() - interval '5 minutes', '{"velocity_points": "8"}'),
      ('deploy', 'medium', 'completed', now() - interval '25 minutes', now() - interval '5 minutes', '{}'),
      ('deploy', 'medium', 'completed', now() - interval '40 minutes', now() - interval '10 minutes', '{"velocity_points": "many"}'),
      ('deploy', 'low', 'completed', now() - interval '3 hours', now() - interval '2 hours', '{}'),
      ('deploy', 'low', 'failed', now() - interval '3 hours', now() - interval '2 hours', '{}')`);
}

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
  await seedHistory();
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('GET /api/coordination/status', () => {
  it('computes every number from the database', async () => {
    const answer = await call(app, 'GET', '/api/coordination/status', { token: testAdminToken, headers: { 'x-trace-id': 'status-trace' } });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ok');
    const { timestamp, trace_id: traceId, ...numbers } = answer.body.data;
    expect(Date.parse(timestamp)).not.toBeNaN();
    expect(traceId).toBe('status-trace');
    expect(numbers).toEqual({
      agents: { active: 3, total: 5 },
      work: {
        by_status: { pending: 2, claimed: 1, in_progress: 1, completed: 4, failed: 1 },
        by_priority: { low: 3, medium: 3, high: 2, critical: 1 },
        pending_by_priority: { low: 1, medium: 0, high: 0, critical: 1 },
      },
      // Three completions in the last hour, after 10, 20 and 30 minutes.
      performance: { operations_per_hour: 3, mean_claim_to_complete_minutes: 20 },
      // 2 active items <= 3 live agents.
      health_score: 90,
      // 8 + 5 + 5 (a non-numeric value counts as the default) in the last hour, + 5 two hours ago.
      velocity: { total_points: 23, last_hour_points: 18 },
    });
  });
});

describe("the original's health score", () => {
  it.each([
    [0, 0, 0, 50],
    [0, 3, 0, 10],
    [0, 3, 3, 10],
    [2, 0, 0, 80],
    [2, 5, 0, 80],
    [2, 2, 2, 90],
    [2, 3, 1, 90],
    [2, 3, 3, 70],
    [2, 4, 4, 70],
    [2, 5, 5, 30],
  ])('%i active agents, %i open and %i active items -> %i', (agents, open, active, score) => {
    expect(healthScore(agents, open, active)).toBe(score);
  });
});
