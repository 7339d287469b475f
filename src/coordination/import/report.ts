import type { ImportIssue, ImportPlan, IssueCode, IssueOutcome, SourceFile } from './plan.ts';
import { sourceFiles } from './plan.ts';
import type { InsertedCounts } from './write.ts';

/** What each outcome means, as the report says it. */
export const outcomeDescriptions = {
  skipped: 'not imported',
  priority_medium: 'imported with priority medium (the original value is in payload.original_priority)',
  status_in_progress: 'imported as in_progress (the original status is in payload.original_status)',
  status_offline: 'imported as offline (the original status is in metadata.original_status)',
  released_to_pending: 'imported as pending, unclaimed: a claim without claimant or claim time cannot be leased',
  left_empty: 'imported without it',
  velocity_default: 'imported with velocity_points 5 (the original default)',
} as const satisfies Record<IssueOutcome, string>;

/** Issues of one kind: same file, reason, field and outcome. */
export interface IssueGroup {
  readonly file: SourceFile;
  readonly code: IssueCode;
  readonly field?: string;
  readonly outcome: IssueOutcome;
  readonly count: number;
  /** The offending entries' ids, in file order (`#<n>` = position of an entry without id). */
  readonly ids: readonly string[];
  /** The distinct offending values (JSON), when there were any. */
  readonly values: readonly string[];
}

type Counts = { readonly agents: number; readonly work_items: number; readonly completion_events: number };

export interface ImportReport {
  readonly directory: string;
  readonly files: Readonly<Record<SourceFile, { readonly present: boolean; readonly entries: number }>>;
  /** Rows the files yield. */
  readonly planned: Counts;
  /** Rows this run inserted. */
  readonly inserted: Counts;
  /** Planned rows already in the database (an earlier import, or an agent registered under the same agent_id), left as they were. */
  readonly unchanged: Counts;
  readonly agents_from_claims: readonly string[];
  readonly skipped: readonly IssueGroup[];
  readonly adjusted: readonly IssueGroup[];
}

function group(issues: readonly ImportIssue[]): IssueGroup[] {
  const groups = new Map<string, { base: ImportIssue; ids: string[]; values: Set<string> }>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.file, issue.code, issue.field ?? null, issue.outcome]);
    const found = groups.get(key) ?? { base: issue, ids: [], values: new Set<string>() };
    groups.set(key, found);
    found.ids.push(issue.id);
    if ('value' in issue && issue.value !== undefined) found.values.add(JSON.stringify(issue.value));
  }
  return [...groups.values()].map(({ base, ids, values }) => ({
    file: base.file,
    code: base.code,
    ...(base.field === undefined ? {} : { field: base.field }),
    outcome: base.outcome,
    count: ids.length,
    ids,
    values: [...values],
  }));
}

export function buildReport(input: {
  readonly directory: string;
  readonly present: Readonly<Record<SourceFile, boolean>>;
  readonly plan: ImportPlan;
  readonly inserted: InsertedCounts;
}): ImportReport {
  const { plan, inserted } = input;
  const planned = {
    agents: plan.agents.length,
    work_items: plan.workItems.length,
    completion_events: plan.completions.length,
  };
  const written = { agents: inserted.agents, work_items: inserted.workItems, completion_events: inserted.completions };
  return {
    directory: input.directory,
    files: {
      'agent_status.json': { present: input.present['agent_status.json'], entries: plan.entries['agent_status.json'] },
      'work_claims.json': { present: input.present['work_claims.json'], entries: plan.entries['work_claims.json'] },
      'coordination_log.json': {
        present: input.present['coordination_log.json'],
        entries: plan.entries['coordination_log.json'],
      },
    },
    planned,
    inserted: written,
    unchanged: {
      agents: planned.agents - written.agents,
      work_items: planned.work_items - written.work_items,
      completion_events: planned.completion_events - written.completion_events,
    },
    agents_from_claims: plan.agentsFromClaims,
    skipped: group(plan.issues.filter((i) => i.outcome === 'skipped')),
    adjusted: group(plan.issues.filter((i) => i.outcome !== 'skipped')),
  };
}

const counts = (c: Counts): string =>
  `${c.agents} agents, ${c.work_items} work items, ${c.completion_events} completion events`;

function groupLines(groups: readonly IssueGroup[]): string[] {
  return groups.flatMap((g) => [
    `  ${g.file} ${g.code}${g.field === undefined ? '' : ` (${g.field})`}: ${g.count} -> ${outcomeDescriptions[g.outcome]}`,
    `    ids: ${g.ids.join(', ')}`,
    ...(g.values.length === 0 ? [] : [`    values: ${g.values.join(', ')}`]),
  ]);
}

/** The report as the CLI prints it. */
export function formatReport(report: ImportReport): string {
  const width = Math.max(...sourceFiles.map((f) => f.length));
  const skippedEntries = report.skipped.reduce((n, g) => n + g.count, 0);
  return [
    `Coordination import from ${report.directory}`,
    ...sourceFiles.map(
      (file) =>
        `  ${file.padEnd(width)}  ${report.files[file].present ? `${report.files[file].entries} entries` : 'absent (nothing to import)'}`,
    ),
    `Inserted: ${counts(report.inserted)}`,
    `Already present, left unchanged: ${counts(report.unchanged)}`,
    ...(report.agents_from_claims.length === 0
      ? []
      : [
          `Agents created because claims name them (not in agent_status.json): ${report.agents_from_claims.length}`,
          `    ids: ${report.agents_from_claims.join(', ')}`,
        ]),
    report.skipped.length === 0 ? 'Skipped: none' : `Skipped: ${skippedEntries} entries`,
    ...groupLines(report.skipped),
    report.adjusted.length === 0 ? 'Imported with changes: none' : 'Imported with changes:',
    ...groupLines(report.adjusted),
  ].join('\n');
}
