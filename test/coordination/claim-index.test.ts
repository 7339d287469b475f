import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTargeted } from '../../src/actions/run-action.ts';
import { serverContext } from '../../src/server/server-context.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { act, seedRegistry, testAuth, testConfig } from '../support/runtime.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  // A queue worth an index: 20,000 items, a quarter pending, priorities mixed, then fresh planner statistics.
  await database.pool.query(`
    INSERT INTO work_items (work_type, priority, status)
    SELECT 'bulk', (ARRAY['low','medium','high','critical'])[1 + (i / 4) % 4], CASE WHEN i % 4 = 0 THEN 'pending' ELSE 'completed' END
    FROM generate_series(1, 20000) AS i`);
  await database.pool.query('ANALYZE work_items');
});

afterAll(async () => {
  await database.drop();
});

describe('the index declared for claim_next ({ target: "claim_next" })', () => {
  it('serves the claim: the planner reads the first entry of work_items_claim_next_index, no sort of the queue', async () => {
    const agent = await act(database, 'agent', 'register', { agent_id: 'index-agent' }, { actor: null });
    const registry = await seedRegistry();
    const statements: { query: string; params: unknown[] }[] = [];
    const db = drizzle({ client: database.pool, logger: { logQuery: (query, params) => statements.push({ query, params }) } });
    const resource = registry.resource('work_item');
    const action = resource.actions.find((a) => a.name === 'claim_next');
    if (action === undefined) throw new Error('no claim_next');
    const claimed = await runTargeted(
      { registry, db, actor: { type: 'agent', id: String(agent['id']) }, context: serverContext(testConfig(), testAuth) },
      { resource, action, input: { work_types: ['bulk'] } },
    );
    expect(claimed?.record['priority']).toBe('critical');

    const claim = statements.find((s) => /update "work_items"/i.test(s.query));
    if (claim === undefined) throw new Error(`no claim statement among ${statements.map((s) => s.query).join('\n')}`);
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${claim.query}`, claim.params);
      await client.query('ROLLBACK');
      const plan = JSON.stringify(rows[0]['QUERY PLAN']);
      expect(plan).toContain('"Index Name":"work_items_claim_next_index"');
      expect(plan).not.toContain('"Node Type":"Sort"');
    } finally {
      client.release();
    }
  });
});
