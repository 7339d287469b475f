import { createHash } from 'node:crypto';
import {
  sourceFiles,
  type AgentRow,
  type CompletionEventRow,
  type CoordinationSources,
  type ImportIssue,
  type ImportPlan,
  type SourceFile,
  type WorkItemRow,
} from './plan.ts';
import {
  isAgentStatus,
  isObject,
  isPriority,
  latest,
  mapWorkStatus,
  parseTimestamp,
  resultMap,
  text,
  type JsonObject,
  type Timestamp,
} from './values.ts';

/** The original's default velocity per completion (coordination_helper.sh). */
export const defaultVelocityPoints = 5;

/** The event a completion becomes, as the coordination routes name it. */
export const completedEventName = ['coordination', 'work', 'completed'] as const;

const omit = (entry: JsonObject, keys: readonly string[]): JsonObject =>
  Object.fromEntries(Object.entries(entry).filter(([key]) => !keys.includes(key)));

/** Collects the issues of every file, each with its entry's position. */
class Issues {
  readonly list: ImportIssue[] = [];

  add(file: SourceFile, position: number, issue: Omit<ImportIssue, 'file' | 'position'>): void {
    this.list.push({ file, position, ...issue });
  }

  /** A missing or unparsable timestamp; nothing for a valid one. */
  timestamp(
    file: SourceFile,
    position: number,
    id: string,
    field: string,
    value: Timestamp,
    outcome: ImportIssue['outcome'],
  ): void {
    if (value.kind === 'valid') return;
    this.add(file, position, {
      code: value.kind === 'missing' ? 'missing_timestamp' : 'unparsable_timestamp',
      id,
      field,
      ...(value.kind === 'unparsable' ? { value: value.raw } : {}),
      outcome,
    });
  }

  /** By file (in import order), then by position in the file. */
  sorted(): ImportIssue[] {
    return this.list
      .map((issue, i) => ({ issue, i }))
      .sort(
        (a, b) =>
          sourceFiles.indexOf(a.issue.file) - sourceFiles.indexOf(b.issue.file) ||
          a.issue.position - b.issue.position ||
          a.i - b.i,
      )
      .map(({ issue }) => issue);
  }
}

/**
 * The entries of one file that are objects with a non-empty string id, first occurrence of each id only; the rest is
 * reported as skipped (not an object, no id, duplicate id).
 */
function identified(
  file: SourceFile,
  entries: readonly unknown[],
  idField: string,
  issues: Issues,
  options: { readonly unique: boolean } = { unique: true },
) {
  const seen = new Set<string>();
  return entries.flatMap((entry, index) => {
    if (!isObject(entry)) {
      issues.add(file, index, { code: 'invalid_entry', id: `#${index}`, value: entry, outcome: 'skipped' });
      return [];
    }
    const id = text(entry[idField]);
    if (id === undefined) {
      issues.add(file, index, {
        code: 'missing_id',
        id: `#${index}`,
        field: idField,
        value: entry[idField],
        outcome: 'skipped',
      });
      return [];
    }
    if (options.unique && seen.has(id)) {
      issues.add(file, index, { code: 'duplicate_id', id, field: idField, outcome: 'skipped' });
      return [];
    }
    seen.add(id);
    return [{ entry, id, index }];
  });
}

/** Stable across runs: the same completion always gets the same key, so a re-import inserts nothing. */
const completionKey = (workItemId: string, agentId: string | null, completedAt: string): string =>
  `coordination_import:completed:${createHash('sha256')
    .update(JSON.stringify([workItemId, agentId, completedAt]))
    .digest('hex')}`;

function planCompletions(
  sources: CoordinationSources,
  claims: ReadonlyMap<string, JsonObject>,
  issues: Issues,
): CompletionEventRow[] {
  const file = 'coordination_log.json';
  const rows: CompletionEventRow[] = [];
  const keys = new Set<string>();
  for (const { entry, id, index } of identified(file, sources.coordinationLog, 'work_item_id', issues, {
    unique: false,
  })) {
    const completedAt = parseTimestamp(entry['completed_at']);
    if (completedAt.kind !== 'valid') {
      issues.timestamp(file, index, id, 'completed_at', completedAt, 'skipped');
      continue;
    }
    const agentId = text(entry['agent_id']) ?? null;
    if (agentId === null)
      issues.add(file, index, {
        code: 'missing_id',
        id,
        field: 'agent_id',
        value: entry['agent_id'],
        outcome: 'left_empty',
      });
    const given = entry['velocity_points'];
    const valid = typeof given === 'number' && Number.isFinite(given) && given >= 0;
    if (!valid && given !== undefined && given !== null)
      issues.add(file, index, {
        code: 'invalid_velocity_points',
        id,
        field: 'velocity_points',
        value: given,
        outcome: 'velocity_default',
      });
    const key = completionKey(id, agentId, completedAt.iso);
    // One item may be completed several times; the same item, agent and instant (however written) is one completion.
    if (keys.has(key)) {
      issues.add(file, index, { code: 'duplicate_id', id, field: 'work_item_id', outcome: 'skipped' });
      continue;
    }
    keys.add(key);
    const claim = claims.get(id);
    const telemetry = claim?.['telemetry'];
    const traceId = isObject(telemetry) ? text(telemetry['trace_id']) : undefined;
    rows.push({
      dedup_key: key,
      event_name: completedEventName,
      measurements: { velocity_points: valid ? given : defaultVelocityPoints },
      metadata: {
        work_item_id: id,
        agent_id: agentId,
        ...(entry['result'] === undefined ? {} : { result: entry['result'] }),
        ...(claim?.['team'] === undefined ? {} : { team: claim['team'] }),
        imported_from: file,
      },
      trace_id: traceId ?? null,
      at: completedAt.iso,
    });
  }
  return rows;
}

const descriptionOf = (value: unknown): string | null =>
  typeof value === 'string' ? value : value === undefined || value === null ? null : JSON.stringify(value);

/** Columns of ours; every other member of a claim is kept in `payload` under its own name. */
const claimColumns = [
  'work_item_id',
  'agent_id',
  'work_type',
  'description',
  'priority',
  'status',
  'claimed_at',
  'completed_at',
  'result',
];

function planWorkItems(
  sources: CoordinationSources,
  velocityOf: ReadonlyMap<string, unknown>,
  issues: Issues,
): WorkItemRow[] {
  const file = 'work_claims.json';
  return identified(file, sources.workClaims, 'work_item_id', issues).flatMap(({ entry, id, index }): WorkItemRow[] => {
    const workType = text(entry['work_type']);
    if (workType === undefined) {
      issues.add(file, index, {
        code: 'empty_work_type',
        id,
        field: 'work_type',
        value: entry['work_type'],
        outcome: 'skipped',
      });
      return [];
    }
    const payload: JsonObject = omit(entry, claimColumns);
    const priority = isPriority(entry['priority']) ? entry['priority'] : 'medium';
    if (!isPriority(entry['priority'])) {
      issues.add(file, index, {
        code: 'invalid_priority',
        id,
        field: 'priority',
        value: entry['priority'],
        outcome: 'priority_medium',
      });
      payload['original_priority'] = entry['priority'] ?? null;
    }
    const mapped = mapWorkStatus(entry['status']);
    if (!mapped.known)
      issues.add(file, index, {
        code: 'unknown_status',
        id,
        field: 'status',
        value: entry['status'],
        outcome: 'status_in_progress',
      });
    let status = mapped.status;
    let claimant = text(entry['agent_id']);
    const claimedAt = parseTimestamp(entry['claimed_at']);
    const completedAt = parseTimestamp(entry['completed_at']);
    if (status === 'claimed' || status === 'in_progress') {
      // A claim needs a claimant and a start for its lease; without them it goes back to the queue.
      if (claimant === undefined || claimedAt.kind !== 'valid') {
        if (claimant === undefined)
          issues.add(file, index, {
            code: 'missing_id',
            id,
            field: 'agent_id',
            value: entry['agent_id'],
            outcome: 'released_to_pending',
          });
        issues.timestamp(file, index, id, 'claimed_at', claimedAt, 'released_to_pending');
        status = 'pending';
      }
    } else if (status === 'completed' || status === 'failed') {
      if (claimant === undefined)
        issues.add(file, index, {
          code: 'missing_id',
          id,
          field: 'agent_id',
          value: entry['agent_id'],
          outcome: 'left_empty',
        });
      issues.timestamp(file, index, id, 'claimed_at', claimedAt, 'left_empty');
      issues.timestamp(file, index, id, 'completed_at', completedAt, 'left_empty');
    } else if (claimedAt.kind === 'unparsable') {
      issues.timestamp(file, index, id, 'claimed_at', claimedAt, 'left_empty');
    }
    if (entry['status'] !== status) payload['original_status'] = entry['status'] ?? null;
    if (status === 'pending' && claimant !== undefined) {
      payload['original_agent_id'] = claimant;
      claimant = undefined;
    }
    const velocity = velocityOf.get(id);
    if (velocity !== undefined && payload['velocity_points'] === undefined) payload['velocity_points'] = velocity;
    const claimed = claimedAt.kind === 'valid' ? claimedAt.iso : undefined;
    const completed =
      (status === 'completed' || status === 'failed') && completedAt.kind === 'valid' ? completedAt.iso : undefined;
    const lastUpdate = parseTimestamp(entry['last_update']);
    return [
      {
        work_item_id: id,
        work_type: workType,
        description: descriptionOf(entry['description']),
        priority,
        team: text(entry['team']) ?? null,
        status,
        claimant: claimant ?? null,
        claimed_at: status === 'pending' ? null : (claimed ?? null),
        completed_at: completed ?? null,
        payload,
        result: resultMap(entry['result']),
        // The bash claim created and claimed an item in one step: its claim time is its creation time.
        inserted_at: claimed ?? null,
        updated_at: latest([claimed, lastUpdate.kind === 'valid' ? lastUpdate.iso : undefined, completed]) ?? null,
      },
    ];
  });
}

/** Mapped to columns; everything else of an agent_status.json entry is kept in `metadata`. */
const agentColumns = ['agent_id', 'status', 'last_heartbeat', 'capabilities'];

function planAgents(sources: CoordinationSources, issues: Issues): AgentRow[] {
  const file = 'agent_status.json';
  return identified(file, sources.agentStatus, 'agent_id', issues).map(({ entry, id, index }) => {
    const metadata: JsonObject = { ...omit(entry, agentColumns), imported_from: file };
    const heartbeat = parseTimestamp(entry['last_heartbeat']);
    let status = isAgentStatus(entry['status']) ? entry['status'] : 'offline';
    if (!isAgentStatus(entry['status']))
      issues.add(file, index, {
        code: 'unknown_status',
        id,
        field: 'status',
        value: entry['status'],
        outcome: 'status_offline',
      });
    if (heartbeat.kind !== 'valid') {
      // Never heard from (as far as we know): offline, like any agent whose heartbeats stopped.
      issues.timestamp(file, index, id, 'last_heartbeat', heartbeat, 'status_offline');
      if (heartbeat.kind === 'unparsable') metadata['original_last_heartbeat'] = heartbeat.raw;
      status = 'offline';
    }
    if (entry['status'] !== status) metadata['original_status'] = entry['status'] ?? null;
    const listed = Array.isArray(entry['capabilities'])
      ? entry['capabilities'].flatMap((c: unknown) => {
          const capability = text(c);
          return capability === undefined ? [] : [capability];
        })
      : [];
    const specialization = text(entry['specialization']);
    const capabilities = [...new Set(specialization === undefined ? listed : [...listed, specialization])];
    const at = heartbeat.kind === 'valid' ? heartbeat.iso : null;
    return { agent_id: id, status, capabilities, metadata, last_heartbeat: at, inserted_at: at };
  });
}

/** Claimants not in agent_status.json: created offline, with the team of their first claim. */
function agentsNamedByClaims(workItems: readonly WorkItemRow[], known: ReadonlySet<string>): AgentRow[] {
  const byId = new Map<string, { team: unknown; first: string | undefined }>();
  for (const item of workItems) {
    if (item.claimant === null || known.has(item.claimant)) continue;
    const seen = byId.get(item.claimant);
    const claimedAt = item.claimed_at ?? undefined;
    if (seen === undefined) byId.set(item.claimant, { team: item.payload['team'], first: claimedAt });
    else if (claimedAt !== undefined && (seen.first === undefined || claimedAt < seen.first)) seen.first = claimedAt;
  }
  return [...byId].map(([agentId, { team, first }]) => ({
    agent_id: agentId,
    status: 'offline',
    capabilities: [],
    metadata: { ...(team === undefined ? {} : { team }), imported_from: 'work_claims.json' },
    last_heartbeat: null,
    inserted_at: first ?? null,
  }));
}

/**
 * files -> rows + report, with no I/O: deterministic, so a second import plans the same rows (and writes none).
 * Entry-level problems never throw: each is skipped or adjusted and listed in `issues`.
 */
export function planImport(sources: CoordinationSources): ImportPlan {
  const issues = new Issues();
  const claims = new Map<string, JsonObject>();
  for (const entry of sources.workClaims) {
    const id = isObject(entry) ? text(entry['work_item_id']) : undefined;
    if (isObject(entry) && id !== undefined && !claims.has(id)) claims.set(id, entry);
  }
  const agentRows = planAgents(sources, issues);
  const completions = planCompletions(sources, claims, issues);
  const velocityOf = new Map<string, unknown>();
  for (const event of completions) {
    const id = String(event.metadata['work_item_id']);
    if (!velocityOf.has(id)) velocityOf.set(id, event.measurements['velocity_points']);
  }
  const workItems = planWorkItems(sources, velocityOf, issues);
  const fromClaims = agentsNamedByClaims(workItems, new Set(agentRows.map((a) => a.agent_id)));
  return {
    entries: {
      'agent_status.json': sources.agentStatus.length,
      'work_claims.json': sources.workClaims.length,
      'coordination_log.json': sources.coordinationLog.length,
    },
    agents: [...agentRows, ...fromClaims],
    workItems,
    completions,
    agentsFromClaims: fromClaims.map((a) => a.agent_id),
    issues: issues.sorted(),
  };
}
