import { and, not, or, sql, type SQL } from 'drizzle-orm';

/** A policy outcome while it is being worked out: decided already, or a SQL predicate over the row. */
export type Formula = { readonly kind: 'const'; readonly value: boolean } | { readonly kind: 'sql'; readonly sql: SQL };

export const TRUE: Formula = { kind: 'const', value: true };
export const FALSE: Formula = { kind: 'const', value: false };
export const constant = (value: boolean): Formula => (value ? TRUE : FALSE);
export const predicate = (value: SQL): Formula => ({ kind: 'sql', sql: value });

/** Constants fold away, so a formula only reaches SQL when a row really has to be looked at. */
export function both(a: Formula, b: Formula): Formula {
  if (a.kind === 'const') return a.value ? b : FALSE;
  if (b.kind === 'const') return b.value ? a : FALSE;
  return predicate(and(a.sql, b.sql) ?? sql`true`);
}

export function either(a: Formula, b: Formula): Formula {
  if (a.kind === 'const') return a.value ? TRUE : b;
  if (b.kind === 'const') return b.value ? TRUE : a;
  return predicate(or(a.sql, b.sql) ?? sql`false`);
}

export function negate(a: Formula): Formula {
  return a.kind === 'const' ? constant(!a.value) : predicate(not(a.sql));
}

export const toSql = (formula: Formula): SQL => (formula.kind === 'const' ? (formula.value ? sql`true` : sql`false`) : formula.sql);
