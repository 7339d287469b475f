import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinationImportError } from '../../src/coordination/import/errors.ts';
import type { ImportIssue } from '../../src/coordination/import/plan.ts';
import type { ImportReport } from '../../src/coordination/import/report.ts';
import { importCoordinationDirectory } from '../../src/coordination/import/run-import.ts';
import { readCoordinationSources } from '../../src/coordination/import/source.ts';
import { planImport } from '../../src/coordination/import/transform.ts';
import { parseTimestamp } from '../../src/coordination/import/values.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string): string => path.join(root, 'test/fixtures/coordination', name);
const dirty = fixture('dirty');

/** One line per issue, easy to compare as a set. */
const issueLine = (i: ImportIssue): string => `${i.file} ${i.code} ${i.field ?? '-'} ${i.id} -> ${i.outcome}`;

describe('parseTimestamp', () => {
  it.each([
    ['2025-06-15T17:14:14Z', '2025-06-15T17:14:14.000Z'],
    ['2025-06-15T17:14:14.123456Z', '2025-06-15T17:14:14.123Z'],
    ['2025-06-15T19:14:14+02:00', '2025-06-15T17:14:14.000Z'],
    ['2025-06-15T17:14Z', '2025-06-15T17:14:00.000Z'],
  ])('%s is %s', (raw, iso) => {
    expect(parseTimestamp(raw)).toEqual({ kind: 'valid', iso });
  });

  it.each([
    ['2025-02-30T00:00:00Z'],
    ['2025-06-15T24:00:00Z'],
    ['2025-06-15 17:14:14'],
    ['15/06/2025 17:22'],
    ['yesterday'],
    [1750008116],
  ])('%s is unparsable (no zone, impossible date, not ISO 8601)', (raw) => {
    expect(parseTimestamp(raw)).toEqual({ kind: 'unparsable', raw });
  });

  it.each([[undefined], [null], ['']])('%s is missing', (raw) => {
    expect(parseTimestamp(raw)).toEqual({ kind: 'missing' });
  });
});

describe('planImport (files -> rows + issues, no database)', () => {
  it('maps agents, claims and completions of the original shapes', async () => {
    const plan = planImport((await readCoordinationSources(dirty)).sources);
    const agent = (id: string) => plan.agents.find((a) => a.agent_id === id);
    const work = (id: string) => plan.workItems.find((w) => w.work_item_id === id);

    expect(agent('agent_1750008116172741000')).toEqual({
      agent_id: 'agent_1750008116172741000',
      status: 'active',
      capabilities: ['general_development'],
      metadata: {
        team: 'coordination_team',
        capacity: 100,
        current_workload: 1,
        specialization: 'general_development',
        performance_metrics: { tasks_completed: 3, average_completion_time: '12m', success_rate: 92.3 },
        imported_from: 'agent_status.json',
      },
      last_heartbeat: '2025-06-15T17:21:56.000Z',
      inserted_at: '2025-06-15T17:21:56.000Z',
    });
    // Named only by claims: created offline, with the team of its first claim.
    expect(agent('agent_1750008122617016000')).toMatchObject({
      status: 'offline',
      capabilities: [],
      metadata: { team: 'development_team', imported_from: 'work_claims.json' },
      last_heartbeat: null,
    });
    expect(plan.agentsFromClaims).toEqual(['agent_1750008122617016000']);

    expect(work('work_1750008116175176000')).toEqual({
      work_item_id: 'work_1750008116175176000',
      work_type: 'sprint_planning',
      description: 'Facilitate sprint planning for development team',
      priority: 'high',
      team: 'coordination_team',
      status: 'completed',
      claimant: 'agent_1750008116172741000',
      claimed_at: '2025-06-15T17:21:56.000Z',
      completed_at: '2025-06-15T17:22:23.000Z',
      payload: {
        reactor_id: 'shell_agent',
        estimated_duration: '30m',
        team: 'coordination_team',
        progress: 25,
        last_update: '2025-06-15T17:22:09Z',
        velocity_points: 8,
      },
      result: { text: 'success' },
      inserted_at: '2025-06-15T17:21:56.000Z',
      updated_at: '2025-06-15T17:22:23.000Z',
    });
    // "active" (the bash claim) is in progress; a free-form progress status too, kept in the payload.
    expect(work('work_1734567890123456000')).toMatchObject({
      status: 'in_progress',
      claimant: 'agent_1734567890123456000',
      payload: { original_status: 'active' },
    });
    expect(work('work_1750008122619494000')).toMatchObject({
      status: 'in_progress',
      payload: { original_status: 'implementation', progress: 50 },
    });
    expect(work('work_1750008433345481000')).toMatchObject({
      priority: 'medium',
      payload: { original_priority: 'test', telemetry: { trace_id: 'af7463e6cff4a91f21bf608ca9b1ed53' } },
    });
    // A claim without a claim time cannot be leased: back to the queue, unclaimed.
    expect(work('work_1750050000000000003')).toMatchObject({
      status: 'pending',
      claimant: null,
      claimed_at: null,
      payload: { original_status: 'active', original_agent_id: 'agent_1750007916250653000' },
    });
    expect(work('work_1750050000000000006')).toMatchObject({ status: 'pending', claimant: null, inserted_at: null });

    expect(
      plan.completions.map((c) => [
        c.metadata['work_item_id'],
        c.metadata['agent_id'],
        c.measurements['velocity_points'],
        c.at,
      ]),
    ).toEqual([
      ['work_1750008116175176000', 'agent_1750008143088593000', 8, '2025-06-15T17:22:23.000Z'],
      ['work_1750008433345481000', 'agent_1750008502252977000', 12, '2025-06-15T17:28:22.000Z'],
      ['work_1750004228696079000', 'agent_1750004228737440000', 3, '2025-06-15T16:17:08.000Z'],
      ['work_1750024509688247000', 'agent_1750024857563138000', 5, '2025-06-15T22:00:57.000Z'],
      ['work_1750047387832956000', 'agent_1750047591253601000', 5, '2025-06-16T04:19:51.000Z'],
      ['work_1750008116175176000', 'agent_1750008116172741000', 5, '2025-06-15T18:40:00.000Z'],
    ]);
    const logged = plan.completions[1];
    expect(logged).toMatchObject({
      event_name: ['coordination', 'work', 'completed'],
      trace_id: 'af7463e6cff4a91f21bf608ca9b1ed53',
      metadata: { team: 'telemetry_team', result: 'success' },
    });
    expect(logged?.dedup_key).toMatch(/^coordination_import:completed:[0-9a-f]{64}$/);
  });

  it('reports every dirty entry with its reason, its id and what was done', async () => {
    const plan = planImport((await readCoordinationSources(dirty)).sources);
    expect(plan.issues.map(issueLine)).toEqual([
      'agent_status.json missing_timestamp last_heartbeat agent_1734567890123456000 -> status_offline',
      'agent_status.json duplicate_id agent_id agent_1750007916250653000 -> skipped',
      'agent_status.json missing_id agent_id #4 -> skipped',
      'agent_status.json unknown_status status agent_developer_1750008081426869000 -> status_offline',
      'agent_status.json unparsable_timestamp last_heartbeat agent_developer_1750008081426869000 -> status_offline',
      'agent_status.json invalid_entry - #6 -> skipped',
      'work_claims.json unknown_status status work_1750008122619494000 -> status_in_progress',
      'work_claims.json invalid_priority priority work_1750008433345481000 -> priority_medium',
      'work_claims.json invalid_priority priority work_1750047615081772000 -> priority_medium',
      'work_claims.json empty_work_type work_type work_1750050000000000001 -> skipped',
      'work_claims.json empty_work_type work_type work_1750050000000000002 -> skipped',
      'work_claims.json duplicate_id work_item_id work_1750008116175176000 -> skipped',
      'work_claims.json missing_timestamp claimed_at work_1750050000000000003 -> released_to_pending',
      'work_claims.json unparsable_timestamp claimed_at work_1750050000000000004 -> released_to_pending',
      'work_claims.json missing_timestamp completed_at work_1750050000000000005 -> left_empty',
      'work_claims.json unknown_status status work_1750023954215002000 -> status_in_progress',
      'work_claims.json missing_id work_item_id #13 -> skipped',
      'coordination_log.json duplicate_id work_item_id work_1750008116175176000 -> skipped',
      // Same completion with its instant written differently ("...:23.000Z") is the same completion.
      'coordination_log.json duplicate_id work_item_id work_1750008116175176000 -> skipped',
      'coordination_log.json missing_timestamp completed_at work_1750023796449861000 -> skipped',
      'coordination_log.json invalid_velocity_points velocity_points work_1750024509688247000 -> velocity_default',
    ]);
    expect(plan.entries).toEqual({ 'agent_status.json': 7, 'work_claims.json': 14, 'coordination_log.json': 9 });
    expect([plan.agents.length, plan.workItems.length, plan.completions.length]).toEqual([5, 10, 6]);
  });

  it('plans the same rows every time (what makes a re-import a no-op)', async () => {
    const { sources } = await readCoordinationSources(dirty);
    expect(planImport(sources)).toEqual(planImport(sources));
  });
});

describe('importing into PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(import.meta.url);
  });
  afterAll(async () => {
    await database.drop();
  });

  /** Every column of every row of the three tables, hashed. */
  const digest = async (): Promise<string> => {
    const { rows } = await database.pool.query<{ digest: string }>(
      `SELECT md5(concat_ws('#',
         (SELECT count(*) || ':' || coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM agents t),
         (SELECT count(*) || ':' || coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM work_items t),
         (SELECT count(*) || ':' || coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM telemetry_events t))) AS digest`,
    );
    return rows[0]?.digest ?? '';
  };

  let first: ImportReport;

  it('imports agents, work items and completion events, linking claims to agents (existing ones too)', async () => {
    // Registered before the import under an agent_id the claims name: reused, left as it is.
    const { rows: existing } = await database.pool.query<{ id: string }>(
      `INSERT INTO agents (agent_id, capabilities, metadata, last_heartbeat) VALUES ('agent_1750008122617016000', '{build}', '{"registered": "via the API"}', now()) RETURNING id`,
    );
    first = await importCoordinationDirectory(database.db, dirty);

    const agents = await database.pool.query<{
      agent_id: string;
      status: string;
      capabilities: string[];
      last_heartbeat: Date | null;
      metadata: Record<string, unknown>;
    }>('SELECT agent_id, status, capabilities, last_heartbeat, metadata FROM agents ORDER BY agent_id');
    expect(
      agents.rows.map((a) => [a.agent_id, a.status, a.capabilities, a.last_heartbeat?.toISOString() ?? null]),
    ).toEqual([
      ['agent_1734567890123456000', 'offline', ['scrum_master'], null],
      ['agent_1750007916250653000', 'active', ['general_development'], '2025-06-15T17:18:36.000Z'],
      ['agent_1750008116172741000', 'active', ['general_development'], '2025-06-15T17:21:56.000Z'],
      ['agent_1750008122617016000', 'active', ['build'], expect.any(String)],
      ['agent_developer_1750008081426869000', 'offline', ['developer'], null],
    ]);
    expect(agents.rows[3]?.metadata).toEqual({ registered: 'via the API' });

    const work = await database.pool.query<{
      work_item_id: string;
      status: string;
      priority: string;
      team: string;
      claimant: string | null;
      claimed_by: string | null;
      claimed_at: Date | null;
      completed_at: Date | null;
      result: unknown;
      inserted_at: Date;
    }>(
      `SELECT w.work_item_id, w.status, w.priority, w.team, a.agent_id AS claimant, w.claimed_by, w.claimed_at, w.completed_at, w.result, w.inserted_at
       FROM work_items w LEFT JOIN agents a ON a.id = w.claimed_by ORDER BY w.work_item_id`,
    );
    expect(work.rows.map((w) => [w.work_item_id, w.status, w.priority, w.team, w.claimant])).toEqual([
      ['work_1734567890123456000', 'in_progress', 'critical', 'coordination_team', 'agent_1734567890123456000'],
      ['work_1750008116175176000', 'completed', 'high', 'coordination_team', 'agent_1750008116172741000'],
      ['work_1750008122619494000', 'in_progress', 'medium', 'development_team', 'agent_1750008122617016000'],
      ['work_1750008433345481000', 'completed', 'medium', 'telemetry_team', 'agent_1750007916250653000'],
      ['work_1750023954215002000', 'in_progress', 'medium', 'performance_team', 'agent_1750008122617016000'],
      ['work_1750047615081772000', 'in_progress', 'medium', 'autonomous_team', 'agent_1750008122617016000'],
      ['work_1750050000000000003', 'pending', 'high', 'test_team', null],
      ['work_1750050000000000004', 'pending', 'medium', 'test_team', null],
      ['work_1750050000000000005', 'completed', 'high', 'development_team', 'agent_1750008116172741000'],
      ['work_1750050000000000006', 'pending', 'low', 'performance_team', null],
    ]);
    const completed = work.rows[1];
    const claimant = await database.pool.query<{ id: string }>(
      `SELECT id FROM agents WHERE agent_id = 'agent_1750008116172741000'`,
    );
    expect(completed?.claimed_by).toBe(claimant.rows[0]?.id);
    expect([
      completed?.claimed_at?.toISOString(),
      completed?.completed_at?.toISOString(),
      completed?.inserted_at.toISOString(),
    ]).toEqual(['2025-06-15T17:21:56.000Z', '2025-06-15T17:22:23.000Z', '2025-06-15T17:21:56.000Z']);
    expect(completed?.result).toEqual({ text: 'success' });
    expect(work.rows[2]?.claimed_by).toBe(existing[0]?.id);

    const events = await database.pool.query<{
      event_name: string[];
      measurements: unknown;
      metadata: Record<string, unknown>;
      source: string;
      processed_at: Date;
      dedup_key: string;
    }>(
      'SELECT event_name, measurements, metadata, source, processed_at, dedup_key FROM telemetry_events ORDER BY processed_at',
    );
    expect(events.rows).toHaveLength(6);
    expect(
      events.rows.every(
        (e) =>
          e.source === 'coordination_import' &&
          e.event_name.join('.') === 'coordination.work.completed' &&
          e.dedup_key.startsWith('coordination_import:'),
      ),
    ).toBe(true);
    expect(
      events.rows.reduce((sum, e) => sum + Number((e.measurements as { velocity_points: number }).velocity_points), 0),
    ).toBe(8 + 12 + 3 + 5 + 5 + 5);
    expect(events.rows[0]).toMatchObject({
      metadata: { work_item_id: 'work_1750004228696079000', agent_id: 'agent_1750004228737440000' },
    });
    expect(events.rows[0]?.processed_at.toISOString()).toBe('2025-06-15T16:17:08.000Z');
  });

  it('reports what it imported, what it skipped and why', () => {
    expect(first.inserted).toEqual({ agents: 4, work_items: 10, completion_events: 6 });
    expect(first.unchanged).toEqual({ agents: 1, work_items: 0, completion_events: 0 });
    expect(first.files['work_claims.json']).toEqual({ present: true, entries: 14 });
    const skipped = Object.fromEntries(first.skipped.map((g) => [`${g.file} ${g.code}`, [g.count, g.ids, g.values]]));
    expect(skipped).toEqual({
      'agent_status.json duplicate_id': [1, ['agent_1750007916250653000'], []],
      'agent_status.json missing_id': [1, ['#4'], []],
      'agent_status.json invalid_entry': [1, ['#6'], ['"agent_1750009999999999999"']],
      'work_claims.json duplicate_id': [1, ['work_1750008116175176000'], []],
      'work_claims.json missing_id': [1, ['#13'], []],
      'work_claims.json empty_work_type': [2, ['work_1750050000000000001', 'work_1750050000000000002'], ['""', 'null']],
      'coordination_log.json duplicate_id': [2, ['work_1750008116175176000', 'work_1750008116175176000'], []],
      'coordination_log.json missing_timestamp': [1, ['work_1750023796449861000'], []],
    });
    const priorities = first.adjusted.find((g) => g.code === 'invalid_priority');
    expect(priorities).toMatchObject({
      file: 'work_claims.json',
      outcome: 'priority_medium',
      count: 2,
      ids: ['work_1750008433345481000', 'work_1750047615081772000'],
      values: ['"test"', '"meta_8020_team"'],
    });
    const statuses = first.adjusted.find((g) => g.code === 'unknown_status' && g.file === 'work_claims.json');
    expect(statuses).toMatchObject({ count: 2, values: ['"implementation"', '"compilation_error_detected"'] });
  });

  it('changes nothing when run again, and says so', async () => {
    const before = await digest();
    const again = await importCoordinationDirectory(database.db, dirty);
    expect(await digest()).toBe(before);
    expect(again.inserted).toEqual({ agents: 0, work_items: 0, completion_events: 0 });
    expect(again.unchanged).toEqual(first.planned);
    expect({ ...again, inserted: first.inserted, unchanged: first.unchanged }).toEqual(first);
  });

  it.each([
    ['invalid JSON', 'invalid-json', /work_claims\.json: not valid JSON/],
    [
      'a row the database refuses (work_type over 255 characters)',
      'constraint-violation',
      /nothing was written.*work_items_work_type_check/s,
    ],
  ])('a broken import (%s) leaves the database untouched', async (_case, directory, message) => {
    const before = await digest();
    const failure = await importCoordinationDirectory(database.db, fixture(directory)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CoordinationImportError);
    expect(String(failure)).toMatch(message);
    expect(await digest()).toBe(before);
    // The valid agent and claim of the same files were not written either.
    const { rows } = await database.pool.query(
      `SELECT 1 FROM agents WHERE agent_id IN ('agent_1750100000000000001', 'agent_1750200000000000001')`,
    );
    expect(rows).toHaveLength(0);
  });
});

describe('npm run import:coordination (the CLI, end to end)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(import.meta.url, { suffix: 'cli', poolSize: 2 });
  });
  afterAll(async () => {
    await database.drop();
  });

  const cli = (args: readonly string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/coordination/import/cli.ts', ...args], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('imports a directory into DATABASE_URL and prints the report', async () => {
    const run = await cli([dirty]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Coordination import from ${dirty}`);
    expect(run.stdout).toContain('Inserted: 5 agents, 10 work items, 6 completion events');
    expect(run.stdout).toMatch(
      /work_claims\.json invalid_priority \(priority\): 2 -> imported with priority medium.*\n\s+ids: work_1750008433345481000, work_1750047615081772000\n\s+values: "test", "meta_8020_team"/,
    );
    expect(run.stdout).toMatch(
      /work_claims\.json empty_work_type \(work_type\): 2 -> not imported\n\s+ids: work_1750050000000000001, work_1750050000000000002/,
    );
    const { rows } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM work_items');
    expect(rows[0]?.n).toBe('10');
  });

  it('exits 1 with the reason, writing nothing, when a file is broken', async () => {
    const run = await cli([fixture('invalid-json'), '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Import failed: work_claims\.json: not valid JSON/);
    const { rows } = await database.pool.query(`SELECT 1 FROM agents WHERE agent_id = 'agent_1750100000000000001'`);
    expect(rows).toHaveLength(0);
  });
});
