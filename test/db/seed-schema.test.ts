import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/**
 * The generated migration must match the seed's Phase 7 migration in substance (seed 000_…txt, origin-system.md §3.2):
 * same tables, columns, types, NOT NULL, defaults, unique and plain indexes, and the FK with ON DELETE SET NULL.
 * Deliberate differences, documented in the README: `:string` is `text` (Ash's mapping, with CHECKs for declared
 * lengths) rather than Ecto's varchar(255), and timestamps are `timestamptz(6)` rather than `timestamp(6)`.
 */
interface ColumnExpectation {
  readonly type: string;
  readonly nullable: boolean;
  readonly defaultMatches?: RegExp;
}

const timestamp = { type: 'timestamp with time zone', nullable: true } as const;
const timestamps = {
  inserted_at: { type: 'timestamp with time zone', nullable: false, defaultMatches: /now\(\)/ },
  updated_at: { type: 'timestamp with time zone', nullable: false, defaultMatches: /now\(\)/ },
} as const;
const primaryKey = { type: 'uuid', nullable: false, defaultMatches: /gen_random_uuid\(\)/ } as const;
const emptyMap = { type: 'jsonb', nullable: true, defaultMatches: /^'\{\}'::jsonb$/ } as const;

const seedTables: Readonly<Record<string, Readonly<Record<string, ColumnExpectation>>>> = {
  agents: {
    id: primaryKey,
    agent_id: { type: 'text', nullable: false, defaultMatches: /'agent_'/ },
    status: { type: 'text', nullable: false, defaultMatches: /'active'/ },
    capabilities: { type: 'text[]', nullable: true, defaultMatches: /^'\{\}'::text\[\]$/ },
    metadata: emptyMap,
    last_heartbeat: timestamp,
    // Not in the seed: the SHA-256 of the agent's bearer token (authentication).
    token_hash: { type: 'text', nullable: true },
    ...timestamps,
  },
  work_items: {
    id: primaryKey,
    work_item_id: { type: 'text', nullable: false, defaultMatches: /'work_'/ },
    work_type: { type: 'text', nullable: false },
    description: { type: 'text', nullable: true },
    priority: { type: 'text', nullable: false, defaultMatches: /'medium'/ },
    // Not in the seed: the original's claims carried a team, and its metrics label by it.
    team: { type: 'text', nullable: true },
    status: { type: 'text', nullable: false, defaultMatches: /'pending'/ },
    claimed_by: { type: 'uuid', nullable: true },
    claimed_at: timestamp,
    completed_at: timestamp,
    payload: emptyMap,
    result: emptyMap,
    ...timestamps,
  },
  telemetry_events: {
    id: primaryKey,
    event_name: { type: 'text[]', nullable: false },
    measurements: emptyMap,
    metadata: emptyMap,
    trace_id: { type: 'text', nullable: true },
    span_id: { type: 'text', nullable: true },
    source: { type: 'text', nullable: true },
    processed_at: timestamp,
    // Not in the seed: the idempotency key of ingested OTLP items (unique; NULL for other events).
    dedup_key: { type: 'text', nullable: true },
    ...timestamps,
  },
};

/** [table, unique?, method, columns] for every index the seed (and origin-system.md §3.2) declares. */
const seedIndexes: readonly (readonly [string, boolean, string, string])[] = [
  ['agents', true, 'btree', 'agent_id'],
  ['agents', false, 'btree', 'status'],
  ['agents', false, 'btree', 'last_heartbeat'],
  ['agents', true, 'btree', 'token_hash'],
  ['work_items', true, 'btree', 'work_item_id'],
  ['work_items', false, 'btree', 'status'],
  ['work_items', false, 'btree', 'work_type'],
  ['work_items', false, 'btree', 'priority'],
  ['work_items', false, 'btree', 'team'],
  ['work_items', false, 'btree', 'claimed_by'],
  ['work_items', false, 'btree', 'inserted_at'],
  ['telemetry_events', false, 'gin', 'event_name'],
  ['telemetry_events', false, 'btree', 'trace_id'],
  ['telemetry_events', false, 'btree', 'source'],
  ['telemetry_events', false, 'btree', 'processed_at'],
  ['telemetry_events', true, 'btree', 'dedup_key'],
];

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
});
afterAll(async () => {
  await database.drop();
});

describe('the migrated schema matches the seed migration', () => {
  it.each(Object.entries(seedTables))('%s has exactly the seed columns with their types, nullability and defaults', async (table, expected) => {
    const { rows } = await database.pool.query<{ column_name: string; type: string; is_nullable: string; column_default: string | null }>(
      `SELECT column_name, format_type(a.atttypid, NULL) AS type, c.is_nullable, c.column_default
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = c.table_name::regclass AND a.attname = c.column_name
        WHERE c.table_schema = 'public' AND c.table_name = $1`,
      [table],
    );
    expect(rows.map((r) => r.column_name).sort()).toEqual(Object.keys(expected).sort());
    for (const row of rows) {
      const want = expected[row.column_name];
      if (want === undefined) throw new Error(`unexpected column ${row.column_name}`);
      expect({ column: row.column_name, type: row.type, nullable: row.is_nullable === 'YES' }).toEqual({
        column: row.column_name,
        type: want.type,
        nullable: want.nullable,
      });
      if (want.defaultMatches === undefined) expect(row.column_default, row.column_name).toBeNull();
      else expect(row.column_default, row.column_name).toMatch(want.defaultMatches);
    }
  });

  it('has the primary keys on id', async () => {
    const { rows } = await database.pool.query<{ table_name: string; column_name: string }>(
      `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' AND tc.table_name = ANY($1) ORDER BY tc.table_name`,
      [Object.keys(seedTables)],
    );
    expect(rows).toEqual(Object.keys(seedTables).sort().map((table_name) => ({ table_name, column_name: 'id' })));
  });

  it.each(seedIndexes)('%s has a unique=%s %s index on (%s)', async (table, unique, method, column) => {
    const { rows } = await database.pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`,
      [table],
    );
    const pattern = new RegExp(`^CREATE ${unique ? 'UNIQUE ' : ''}INDEX \\S+ ON public\\.${table} USING ${method} \\(${column}\\)$`);
    expect(rows.map((r) => r.indexdef).filter((d) => pattern.test(d))).toHaveLength(1);
  });

  it('has no indexes beyond the seed ones, the primary keys and the claim-next index', async () => {
    const { rows } = await database.pool.query<{ count: string }>(
      `SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND tablename = ANY($1)`,
      [Object.keys(seedTables)],
    );
    expect(Number(rows[0]?.count)).toBe(seedIndexes.length + 1);
  });

  it('has the claim-next index: priority by declared order, oldest first, pending rows only', async () => {
    const { rows } = await database.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'work_items_claim_next_index'`);
    expect(rows[0]?.indexdef).toBe(
      `CREATE INDEX work_items_claim_next_index ON public.work_items USING btree (array_position(ARRAY['low'::text, 'medium'::text, 'high'::text, 'critical'::text], priority) DESC, inserted_at, id) WHERE (status = 'pending'::text)`,
    );
  });

  it('references agents(id) from work_items.claimed_by with ON DELETE SET NULL', async () => {
    const { rows } = await database.pool.query(
      `SELECT kcu.table_name, kcu.column_name, ccu.table_name AS foreign_table, ccu.column_name AS foreign_column, rc.delete_rule
         FROM information_schema.referential_constraints rc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name
        WHERE kcu.table_schema = 'public' AND kcu.table_name = ANY($1)`,
      [Object.keys(seedTables)],
    );
    expect(rows).toEqual([
      { table_name: 'work_items', column_name: 'claimed_by', foreign_table: 'agents', foreign_column: 'id', delete_rule: 'SET NULL' },
    ]);
  });

  it('refuses values outside one_of in the database itself (CHECK constraints)', async () => {
    await expect(database.pool.query(`INSERT INTO work_items (work_type, priority) VALUES ('x', 'urgent')`)).rejects.toMatchObject({
      code: '23514',
      constraint: 'work_items_priority_check',
    });
  });
});
