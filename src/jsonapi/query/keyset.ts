import { createHash } from 'node:crypto';
import { and, or, sql, type SQL } from 'drizzle-orm';
import type { AttributeSpec } from '../../../resources/define.ts';
import { ApiError } from '../errors.ts';
import type { SortKey } from './sort.ts';

/** A cursor value as the driver returns it. */
export type CursorValue = string | number | boolean | null;

/** Cursors are tied to the sort they were made under: using one with another sort is an error, not a wrong page. */
export const sortSignature = (keys: readonly SortKey[]): string =>
  createHash('sha256')
    .update(keys.map((k) => `${k.descending ? '-' : ''}${k.name}`).join(','))
    .digest('base64url')
    .slice(0, 8);

export const encodeCursor = (keys: readonly SortKey[], values: readonly CursorValue[]): string =>
  Buffer.from(JSON.stringify({ s: sortSignature(keys), v: values })).toString('base64url');

const fitsKind = (spec: AttributeSpec, value: CursorValue): boolean => {
  // A path through a missing related record sorts as NULL too, so only the primary key can never be NULL.
  if (value === null) return !spec.primaryKey;
  switch (spec.kind) {
    case 'integer':
    case 'float':
    case 'atom':
      // Atoms sort by their position in one_of.
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value.replace(' ', 'T').replace(/\+00$/, 'Z')));
    case 'uuid':
      return typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value);
    case 'string':
    case 'text':
      return typeof value === 'string';
    case 'map':
    case 'array':
      return false;
  }
};

/** Decodes and checks a cursor against the current sort; any tampering is a 400, never a database error. */
export function decodeCursor(cursor: string, keys: readonly SortKey[], parameter: string): CursorValue[] {
  const invalid = new ApiError('INVALID_PAGE', { detail: `${parameter} is not a cursor for this sort; take cursors from the links of a previous page`, source: { parameter } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== 'object' || parsed === null || !('s' in parsed) || !('v' in parsed)) throw invalid;
  const { s, v } = parsed;
  if (s !== sortSignature(keys) || !Array.isArray(v) || v.length !== keys.length) throw invalid;
  const values: CursorValue[] = [];
  for (const [i, key] of keys.entries()) {
    const value: unknown = v[i];
    const primitive = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (!primitive || !fitsKind(key.spec, value)) throw invalid;
    values.push(value);
  }
  return values;
}

/**
 * Rows strictly after (or before) the cursor row in the sort order. PostgreSQL sorts NULLs last ascending and first
 * descending; comparisons follow that, so keys may be nullable and mix directions:
 * OR_i ( k_1 = v_1 AND ... AND k_{i-1} = v_{i-1} AND k_i beyond v_i ).
 */
export function keysetPredicate(
  keys: readonly SortKey[],
  values: readonly CursorValue[],
  direction: 'after' | 'before',
  bind: (index: number, value: CursorValue) => unknown = (_index, value) => value,
): SQL {
  const equal = (key: SortKey, value: CursorValue, i: number): SQL =>
    value === null ? sql`${key.expression} IS NULL` : sql`${key.expression} = ${bind(i, value)}`;
  const beyond = (key: SortKey, value: CursorValue, i: number): SQL => {
    // "after" in ascending order = greater (NULLs come last); in descending order = smaller (NULLs came first).
    const greater = (direction === 'after') !== key.descending;
    const orNull = key.nullable ? sql` OR ${key.expression} IS NULL` : sql``;
    if (greater) return value === null ? sql`false` : sql`(${key.expression} > ${bind(i, value)}${orNull})`;
    return value === null ? sql`${key.expression} IS NOT NULL` : sql`${key.expression} < ${bind(i, value)}`;
  };
  const alternatives = keys.map((key, i) =>
    and(...keys.slice(0, i).map((previous, j) => equal(previous, values[j] ?? null, j)), beyond(key, values[i] ?? null, i)),
  );
  return or(...alternatives) ?? sql`false`;
}

/** The cursor's NULL pattern: together with the sort it fixes the predicate's SQL text. */
export const nullPattern = (values: readonly CursorValue[]): string => values.map((v) => (v === null ? '0' : '1')).join('');
