import type { AgentStatus, JsonObject, Priority, WorkStatus } from './values.ts';

/** The original's coordination files (origin-system.md §3.4), in the order they are imported. */
export const sourceFiles = ['agent_status.json', 'work_claims.json', 'coordination_log.json'] as const;
export type SourceFile = (typeof sourceFiles)[number];

/** The parsed files: each one a JSON array (a missing file is an empty one). */
export interface CoordinationSources {
  readonly agentStatus: readonly unknown[];
  readonly workClaims: readonly unknown[];
  readonly coordinationLog: readonly unknown[];
}

/** An `agents` row. `inserted_at: null` leaves the database default (now). */
export interface AgentRow {
  readonly agent_id: string;
  readonly status: AgentStatus;
  readonly capabilities: readonly string[];
  readonly metadata: JsonObject;
  readonly last_heartbeat: string | null;
  readonly inserted_at: string | null;
}

/** A `work_items` row; `claimant` is the agent's `agent_id`, resolved to its row id when written. */
export interface WorkItemRow {
  readonly work_item_id: string;
  readonly work_type: string;
  readonly description: string | null;
  readonly priority: Priority;
  /** The original's `team` (also kept in payload.team, with the claim's other members). */
  readonly team: string | null;
  readonly status: WorkStatus;
  readonly claimant: string | null;
  readonly claimed_at: string | null;
  readonly completed_at: string | null;
  readonly payload: JsonObject;
  readonly result: JsonObject;
  readonly inserted_at: string | null;
  readonly updated_at: string | null;
}

/** A `telemetry_events` row for one completion of coordination_log.json; `at` is its processed/inserted/updated time. */
export interface CompletionEventRow {
  readonly dedup_key: string;
  readonly event_name: readonly string[];
  readonly measurements: JsonObject;
  readonly metadata: JsonObject;
  readonly trace_id: string | null;
  readonly at: string;
}

/** Why an entry was skipped or changed. */
export type IssueCode =
  | 'invalid_entry'
  | 'missing_id'
  | 'duplicate_id'
  | 'empty_work_type'
  | 'invalid_priority'
  | 'unknown_status'
  | 'missing_timestamp'
  | 'unparsable_timestamp'
  | 'invalid_velocity_points';

/** What the import did about an issue (report.ts describes each one). */
export type IssueOutcome =
  | 'skipped'
  | 'priority_medium'
  | 'status_in_progress'
  | 'status_offline'
  | 'released_to_pending'
  | 'left_empty'
  | 'velocity_default';

export interface ImportIssue {
  readonly file: SourceFile;
  readonly code: IssueCode;
  /** The entry's id, or `#<position>` when it has none. */
  readonly id: string;
  /** The entry's 0-based position in its file. */
  readonly position: number;
  readonly field?: string;
  /** The offending value (undefined when it was absent). */
  readonly value?: unknown;
  readonly outcome: IssueOutcome;
}

/** Everything the import will write, and everything it will not (with the reason): the pure half of the import. */
export interface ImportPlan {
  readonly entries: Readonly<Record<SourceFile, number>>;
  readonly agents: readonly AgentRow[];
  readonly workItems: readonly WorkItemRow[];
  readonly completions: readonly CompletionEventRow[];
  /** agent_ids created only because a claim names them (they are not in agent_status.json). */
  readonly agentsFromClaims: readonly string[];
  readonly issues: readonly ImportIssue[];
}
