import type { CheckSpec, PolicySpec } from '../define.ts';
import { checkExpr } from './check-expressions.ts';
import { report, type DefinitionIndex, type ResourceContext } from './context.ts';
import type { ActionModel } from './types.ts';

function checkCheck(ctx: ResourceContext, index: DefinitionIndex, member: string, check: CheckSpec, actions: ReadonlySet<string>): void {
  switch (check.kind) {
    case 'action':
      for (const name of check.names) {
        if (!actions.has(name)) report(ctx, 'UNKNOWN_ACTION', member, `action('${name}'): ${ctx.definition.name} has no such action`);
      }
      return;
    case 'relates_to_actor_via': {
      let current = ctx.definition;
      for (const segment of check.path) {
        const relationship = current.relationships?.[segment];
        const next = relationship === undefined ? undefined : index.get(relationship.destination);
        if (next === undefined) {
          report(ctx, 'UNKNOWN_RELATIONSHIP', member, `relates_to_actor_via: '${segment}' is not a relationship of ${current.name}`);
          return;
        }
        current = next;
      }
      if (!(check.field in current.attributes)) {
        report(ctx, 'UNKNOWN_ATTRIBUTE', member, `relates_to_actor_via field '${check.field}' is not an attribute of ${current.name}`);
      }
      return;
    }
    case 'expr':
      checkExpr(ctx, index, member, check.expr, undefined);
      return;
    case 'always':
    case 'never':
    case 'actor_present':
    case 'actor_absent':
    case 'actor_attribute_equals':
    case 'action_type':
      return;
  }
}

/** Policies are enforced by src/policies; here every name they use is checked, as Ash does at compile time. */
export function checkPolicies(ctx: ResourceContext, index: DefinitionIndex, actions: readonly ActionModel[]): readonly PolicySpec[] {
  const policies = ctx.definition.policies ?? [];
  const actionNames = new Set(actions.map((a) => a.name));
  for (const [position, policy] of policies.entries()) {
    const member = `policies[${position}]`;
    if (policy.clauses.length === 0) report(ctx, 'INVALID_POLICY', member, 'a policy needs at least one authorize_if/forbid_if clause');
    if (policy.kind === 'bypass' && policy.clauses.every((c) => c.clause === 'forbid_if' || c.clause === 'forbid_unless')) {
      report(ctx, 'INVALID_POLICY', member, 'a bypass made only of forbid clauses can never authorize');
    }
    for (const [i, check] of policy.condition.entries()) checkCheck(ctx, index, `${member}.condition[${i}]`, check, actionNames);
    for (const [i, clause] of policy.clauses.entries()) checkCheck(ctx, index, `${member}.${clause.clause}[${i}]`, clause.check, actionNames);
  }
  return policies;
}
