import { toValueSpec, type JsonValue, type ValueSpec } from './values.ts';

export const comparisonOperators = ['eq', 'not_eq', 'gt', 'gte', 'lt', 'lte'] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

/**
 * A boolean expression over the record, the actor, the action's arguments and constants (Ash's `expr(...)`).
 * It is data: the runtime compiles it to a SQL predicate, so it works in WHERE clauses and policies alike.
 */
export type Expr =
  | { readonly op: ComparisonOperator; readonly left: ValueSpec; readonly right: ValueSpec }
  | { readonly op: 'in'; readonly left: ValueSpec; readonly right: readonly ValueSpec[] }
  | { readonly op: 'is_nil'; readonly operand: ValueSpec }
  | { readonly op: 'and' | 'or'; readonly args: readonly Expr[] }
  | { readonly op: 'not'; readonly arg: Expr };
export type ExprOp = Expr['op'];

type Operand = ValueSpec | JsonValue;

const comparison =
  (op: ComparisonOperator) =>
  (left: Operand, right: Operand): Expr => ({ op, left: toValueSpec(left), right: toValueSpec(right) });

/** @example eq(ref('status'), 'pending') */
export const eq = comparison('eq');
/** @example notEq(ref('status'), 'failed') */
export const notEq = comparison('not_eq');
/** @example gt(ref('priority_rank'), 2) */
export const gt = comparison('gt');
export const gte = comparison('gte');
export const lt = comparison('lt');
export const lte = comparison('lte');
/** @example isIn(ref('status'), ['claimed', 'in_progress']) */
export const isIn = (left: Operand, right: readonly Operand[]): Expr => ({
  op: 'in',
  left: toValueSpec(left),
  right: right.map(toValueSpec),
});
/** @example isNil(ref('claimed_by')) */
export const isNil = (operand: Operand): Expr => ({ op: 'is_nil', operand: toValueSpec(operand) });
/** @example and(eq(ref('status'), 'claimed'), eq(ref('claimed_by'), actor('id'))) */
export const and = (...args: [Expr, Expr, ...Expr[]]): Expr => ({ op: 'and', args });
export const or = (...args: [Expr, Expr, ...Expr[]]): Expr => ({ op: 'or', args });
export const not = (arg: Expr): Expr => ({ op: 'not', arg });
