import { simpleCheckKinds, type CheckSpec, type FieldPolicySpec, type PolicySpec } from '../define.ts';
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
      if (check.path.length === 0) {
        report(ctx, 'INVALID_POLICY', member, 'relates_to_actor_via needs a relationship path (compare an attribute with expr instead)');
        return;
      }
      let current = ctx.definition;
      for (const segment of check.path) {
        const relationship = current.relationships?.[segment];
        const next = relationship === undefined ? undefined : index.get(relationship.destination);
        if (relationship === undefined || next === undefined) {
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
    case 'context_equals':
    case 'action_type':
      return;
  }
}

const simple: ReadonlySet<string> = new Set(simpleCheckKinds);

/** Conditions, change `when`s and field policies take simple checks only: they are decided before any row is read. */
export function checkSimple(ctx: ResourceContext, member: string, checks: readonly CheckSpec[]): void {
  for (const [i, check] of checks.entries()) {
    if (!simple.has(check.kind)) report(ctx, 'INVALID_POLICY', `${member}[${i}]`, `${check.kind} reads the row; only simple checks (${[...simple].join(', ')}) fit here`);
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
    checkSimple(ctx, `${member}.condition`, policy.condition);
    for (const [i, clause] of policy.clauses.entries()) checkCheck(ctx, index, `${member}.${clause.clause}[${i}]`, clause.check, actionNames);
  }
  return policies;
}

/** Field policies name existing, non-key attributes and use simple checks only. */
export function checkFieldPolicies(ctx: ResourceContext, index: DefinitionIndex, actions: readonly ActionModel[]): readonly FieldPolicySpec[] {
  const fieldPolicies = ctx.definition.fieldPolicies ?? [];
  const actionNames = new Set(actions.map((a) => a.name));
  for (const [position, fieldPolicy] of fieldPolicies.entries()) {
    const member = `fieldPolicies[${position}]`;
    for (const field of fieldPolicy.fields) {
      const attribute = ctx.definition.attributes[field];
      if (attribute === undefined) report(ctx, 'UNKNOWN_ATTRIBUTE', member, `'${field}' is not an attribute of ${ctx.definition.name}`);
      else if (attribute.spec.primaryKey) report(ctx, 'INVALID_POLICY', member, 'the primary key is always visible');
    }
    if (fieldPolicy.clauses.length === 0) report(ctx, 'INVALID_POLICY', member, 'a field policy needs at least one clause');
    for (const [i, check] of fieldPolicy.condition.entries()) checkCheck(ctx, index, `${member}.condition[${i}]`, check, actionNames);
    checkSimple(ctx, `${member}.condition`, fieldPolicy.condition);
    checkSimple(ctx, `${member}.clauses`, fieldPolicy.clauses.map((c) => c.check));
  }
  return fieldPolicies;
}
