import type { AttributeKind, AttributeSpec } from '../define.ts';

export type SpecOf<TKind extends AttributeKind> = Extract<AttributeSpec, { kind: TKind }>;

/** One handler per attribute kind. A new kind fails to compile until every table handles it. */
export type KindTable<TResult> = { readonly [K in AttributeKind]: (spec: SpecOf<K>) => TResult };

/** Dispatches a spec to its kind's handler. The single place where the correlated union is narrowed. */
export function byKind<TResult>(table: KindTable<TResult>, spec: AttributeSpec): TResult {
  const handler = table[spec.kind] as (spec: AttributeSpec) => TResult;
  return handler(spec);
}
