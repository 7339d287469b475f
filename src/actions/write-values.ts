import { createHash, randomBytes } from 'node:crypto';
import { sql, type SQLWrapper } from 'drizzle-orm';
import type { ChangeSpec, JsonValue } from '../../resources/define.ts';
import { holds, type PolicySubject } from '../policies/checks.ts';
import { writeValue, type ExprContext } from '../query/expr-to-sql.ts';
import type { ActionRequest } from './context.ts';
import type { CheckedInput } from './input.ts';

export interface WritePlan {
  readonly values: Record<string, SQLWrapper | JsonValue>;
  /** Returned to the caller once (a generated token), never stored. */
  readonly meta: Record<string, JsonValue>;
}

/** The changes that apply to this actor (those whose `when` holds). */
export const applicableChanges = (subject: PolicySubject): readonly ChangeSpec[] =>
  subject.action.changes.filter((change) => change.when === undefined || holds(change.when, subject));

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The column values an insert or update writes: accepted input first, then the action's changes (Ash applies
 * changes after accept), then `updated_at`-style attributes bumped on every update.
 */
export function writePlan(subject: PolicySubject, request: ActionRequest, input: CheckedInput): WritePlan {
  const exprContext: ExprContext = { registry: subject.registry, resource: request.resource, actor: subject.actor, args: input.args, context: subject.context };
  const values: Record<string, SQLWrapper | JsonValue> = { ...input.attributes };
  const meta: Record<string, JsonValue> = {};
  for (const change of applicableChanges(subject)) {
    switch (change.kind) {
      case 'set_attribute':
        values[change.attribute] = writeValue(change.value, exprContext);
        break;
      case 'generate_token': {
        const token = `${change.prefix}${randomBytes(32).toString('base64url')}`;
        values[change.attribute] = tokenHash(token);
        meta['token'] = token;
        break;
      }
    }
  }
  if (request.action.type === 'update') {
    for (const attribute of request.resource.attributes) {
      if (attribute.spec.touchOnUpdate && !(attribute.name in values)) values[attribute.name] = sql`now()`;
    }
  }
  return { values, meta };
}
