/**
 * Value-level rules of the import: how the original's loose strings (origin-system.md §3.4) become our closed sets
 * and UTC instants. Pure functions, no I/O.
 */

export const priorities = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof priorities)[number];

export type WorkStatus = 'pending' | 'claimed' | 'in_progress' | 'completed' | 'failed';
export type AgentStatus = 'active' | 'idle' | 'error' | 'offline';

/** A plain JSON object (what JSON.parse gives for `{...}`). */
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string after trimming, else undefined. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

export const isPriority = (value: unknown): value is Priority =>
  typeof value === 'string' && (priorities as readonly string[]).includes(value);

/**
 * The original's work statuses that have a meaning of ours. `active` is what the bash `claim` wrote: the agent took the
 * item and works on it (the file protocol has no separate start), so it is in progress; `complete_work` then applies.
 */
const workStatusOf: ReadonlyMap<string, WorkStatus> = new Map([
  ['pending', 'pending'],
  ['claimed', 'claimed'],
  ['active', 'in_progress'],
  ['in_progress', 'in_progress'],
  ['completed', 'completed'],
  ['failed', 'failed'],
]);

/**
 * Our status for an original one. Anything else was written by the bash `progress` command (which sets any status,
 * default `in_progress`, e.g. "implementation", "compilation_error_detected") on work still under way: in progress,
 * flagged `known: false` so the report lists it.
 */
export function mapWorkStatus(value: unknown): { readonly status: WorkStatus; readonly known: boolean } {
  const known = typeof value === 'string' ? workStatusOf.get(value) : undefined;
  return known === undefined ? { status: 'in_progress', known: false } : { status: known, known: true };
}

const agentStatuses: ReadonlySet<string> = new Set<AgentStatus>(['active', 'idle', 'error', 'offline']);
export const isAgentStatus = (value: unknown): value is AgentStatus =>
  typeof value === 'string' && agentStatuses.has(value);

export type Timestamp =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unparsable'; readonly raw: unknown }
  | { readonly kind: 'valid'; readonly iso: string };

// ISO 8601 with a zone, as the bash scripts wrote it (`date -u +%Y-%m-%dT%H:%M:%SZ`); fractions and offsets allowed.
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A timestamp field: missing (absent, null, ""), unparsable (anything else that is not a real ISO 8601 instant with a
 * zone; `Date.parse` alone would accept Feb 30 and 24:00), or valid as a UTC ISO string (millisecond precision).
 */
export function parseTimestamp(value: unknown): Timestamp {
  if (value === undefined || value === null || value === '') return { kind: 'missing' };
  const match = typeof value === 'string' ? isoPattern.exec(value) : null;
  if (match === null) return { kind: 'unparsable', raw: value };
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC rolls over out-of-range parts (Feb 30 -> Mar 2); a round trip that differs means the parts were invalid.
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day ||
    local.getUTCHours() !== hour ||
    local.getUTCMinutes() !== minute ||
    local.getUTCSeconds() !== second
  ) {
    return { kind: 'unparsable', raw: value };
  }
  const zone = match[8] ?? 'Z';
  const offsetMinutes =
    zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  if (Math.abs(offsetMinutes) > 18 * 60) return { kind: 'unparsable', raw: value };
  return { kind: 'valid', iso: new Date(local.getTime() - offsetMinutes * 60_000).toISOString() };
}

/** The latest of some ISO instants (all UTC `...Z` of one precision, so they compare as strings). */
export const latest = (values: readonly (string | undefined)[]): string | undefined =>
  values.reduce<string | undefined>(
    (max, v) => (v !== undefined && (max === undefined || v > max) ? v : max),
    undefined,
  );

/** The original's free-text result as our `result` map: `{ "text": ... }`; an object stays as it is. */
export function resultMap(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  return typeof value === 'string' ? { text: value } : { value };
}
