import type { CheckSpec, ClauseSpec } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import type { Security } from '../../resources/contracts/index.ts';

/** What a check can be for an anonymous request: decided, or unknown until run time (server settings, rows). */
type Possible = 'yes' | 'no' | 'maybe';

const mentionsActor = (node: unknown): boolean =>
  typeof node === 'object' && node !== null && (('kind' in node && node.kind === 'actor') || Object.values(node).some(mentionsActor));

/** Each check without an actor. */
function anonymous(check: CheckSpec, action: ActionModel): Possible {
  switch (check.kind) {
    case 'always':
    case 'actor_absent':
      return 'yes';
    case 'never':
    case 'actor_present':
    case 'actor_attribute_equals':
    case 'relates_to_actor_via':
      return 'no';
    case 'context_equals':
      return 'maybe';
    case 'action_type':
      return check.types.includes(action.type) ? 'yes' : 'no';
    case 'action':
      return check.names.includes(action.name) ? 'yes' : 'no';
    case 'expr':
      return mentionsActor(check.expr) ? 'no' : 'maybe';
  }
}

/** Could the clauses pass? Unknown checks take whichever value lets them pass (an over-approximation). */
function clausesMayPass(clauses: readonly ClauseSpec[], action: ActionModel): boolean {
  for (const { clause, check } of clauses) {
    const value = anonymous(check, action);
    const passesIf = clause === 'authorize_if' || clause === 'forbid_unless' ? 'yes' : 'no';
    const decisive = clause === 'authorize_if' || clause === 'authorize_unless';
    if (value === 'maybe') {
      if (decisive) return true;
      continue;
    }
    const holds = value === passesIf;
    if (decisive && holds) return true;
    if (!decisive && !holds) return false;
  }
  return false;
}

/**
 * Whether an anonymous request may run the action (Ash semantics, see src/policies/decide.ts): `optional` when some
 * server setting or row could let it pass (agent registration with AGENT_REGISTRATION=open), else `bearer`.
 */
export function actionSecurity(resource: ResourceModel, action: ActionModel): Security {
  let applied = false;
  for (const policy of resource.policies) {
    const applies = policy.condition.map((check) => anonymous(check, action));
    if (applies.includes('no')) continue;
    const passes = clausesMayPass(policy.clauses, action);
    if (policy.kind === 'bypass') {
      if (passes) return 'optional';
      continue;
    }
    if (!passes) return 'bearer';
    applied = true;
  }
  return applied ? 'optional' : 'bearer';
}
