import type { Expr, ValueSpec } from '../define.ts';
import { checkAtomicRef, checkValueAgainst, report, resolveRefPath, type DefinitionIndex, type ResourceContext } from './context.ts';

/** Every `ref(...)` and `atomicRef(...)` must resolve, every `arg(...)` must exist, and a constant compared with a field must fit it. */
export function checkExpr(
  ctx: ResourceContext,
  index: DefinitionIndex,
  member: string,
  expression: Expr,
  argumentNames: ReadonlySet<string> | undefined,
): void {
  const operand = (value: ValueSpec, other: readonly ValueSpec[]): void => {
    if (value.kind === 'arg' && argumentNames !== undefined && !argumentNames.has(value.name)) {
      report(ctx, 'UNKNOWN_ARGUMENT', member, `arg('${value.name}') is not an argument of this action`);
    }
    checkAtomicRef(ctx, member, value);
    if (value.kind !== 'ref') return;
    const resolved = resolveRefPath(index, ctx.definition, value.path);
    if (!resolved.ok) {
      report(ctx, 'UNKNOWN_ATTRIBUTE', member, `ref('${value.path.join("', '")}'): ${resolved.problem}`);
      return;
    }
    for (const compared of other) {
      if (compared.kind === 'literal' && compared.value !== null) checkValueAgainst(ctx, member, resolved.spec, compared, argumentNames);
    }
  };
  switch (expression.op) {
    case 'eq':
    case 'not_eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      operand(expression.left, [expression.right]);
      operand(expression.right, [expression.left]);
      return;
    case 'in':
      operand(expression.left, expression.right);
      for (const item of expression.right) operand(item, []);
      return;
    case 'is_nil':
      operand(expression.operand, []);
      return;
    case 'and':
    case 'or':
      for (const arg of expression.args) checkExpr(ctx, index, member, arg, argumentNames);
      return;
    case 'not':
      checkExpr(ctx, index, member, expression.arg, argumentNames);
      return;
  }
}

/** Every value an expression compares, in order (its operands, through and/or/not). */
export function exprValues(expression: Expr): ValueSpec[] {
  switch (expression.op) {
    case 'eq':
    case 'not_eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return [expression.left, expression.right];
    case 'in':
      return [expression.left, ...expression.right];
    case 'is_nil':
      return [expression.operand];
    case 'and':
    case 'or':
      return expression.args.flatMap(exprValues);
    case 'not':
      return exprValues(expression.arg);
  }
}
