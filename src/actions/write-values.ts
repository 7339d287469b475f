import { sql, type SQLWrapper } from 'drizzle-orm';
import type { JsonValue } from '../../resources/define.ts';
import { writeValue, type ExprContext } from '../query/expr-to-sql.ts';
import type { ActionContext, ActionRequest } from './context.ts';
import type { CheckedInput } from './input.ts';

/**
 * The column values an insert or update writes: accepted input first, then the action's changes (Ash applies
 * changes after accept), then `updated_at`-style attributes bumped on every update.
 */
export function writeValues(
  ctx: ActionContext,
  request: ActionRequest,
  input: CheckedInput,
): Record<string, SQLWrapper | JsonValue> {
  const exprContext: ExprContext = { registry: ctx.registry, resource: request.resource, actor: ctx.actor, args: input.args };
  const values: Record<string, SQLWrapper | JsonValue> = { ...input.attributes };
  for (const change of request.action.changes) values[change.attribute] = writeValue(change.value, exprContext);
  if (request.action.type === 'update') {
    for (const attribute of request.resource.attributes) {
      if (attribute.spec.touchOnUpdate && !(attribute.name in values)) values[attribute.name] = sql`now()`;
    }
  }
  return values;
}
