import type { ClauseSpec, PolicySpec } from '../../resources/define.ts';
import { checkFormula, holds, type PolicySubject } from './checks.ts';
import { both, either, FALSE, negate, TRUE, type Formula } from './formula.ts';

/** The outcome of a resource's policies for one actor and action. */
export type Decision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly message: string }
  /** Allowed for the rows this predicate holds for (reads filter by it; writes put it in their WHERE). */
  | { readonly kind: 'filter'; readonly formula: Extract<Formula, { kind: 'sql' }>; readonly message: string };

/** Clauses fold from the bottom with `false`: the first decisive clause wins, and undecided means forbidden. */
function clausesFormula(clauses: readonly ClauseSpec[], subject: PolicySubject): Formula {
  let rest: Formula = FALSE;
  for (const clause of [...clauses].reverse()) {
    const check = checkFormula(clause.check, subject);
    switch (clause.clause) {
      case 'authorize_if':
        rest = either(check, rest);
        break;
      case 'authorize_unless':
        rest = either(negate(check), rest);
        break;
      case 'forbid_if':
        rest = both(negate(check), rest);
        break;
      case 'forbid_unless':
        rest = both(check, rest);
        break;
    }
  }
  return rest;
}

/**
 * Ash's policy semantics (ash-semantics.md §2.2): every applicable policy must pass; a bypass that passes authorizes
 * and skips the policies after it (those before it still apply); when no policy applies, the answer is no.
 */
function fromPolicy(policies: readonly PolicySpec[], index: number, anyApplied: boolean, subject: PolicySubject): Formula {
  const policy = policies[index];
  if (policy === undefined) return anyApplied ? TRUE : FALSE;
  if (!holds(policy.condition, subject)) return fromPolicy(policies, index + 1, anyApplied, subject);
  const passes = clausesFormula(policy.clauses, subject);
  if (policy.kind === 'bypass') return either(passes, fromPolicy(policies, index + 1, anyApplied, subject));
  return both(passes, fromPolicy(policies, index + 1, true, subject));
}

/** The message of the first applicable policy that does not plainly allow (Ash picks the forbidding policy's). */
function messageFor(policies: readonly PolicySpec[], subject: PolicySubject): string {
  for (const policy of policies) {
    if (policy.kind === 'bypass' || !holds(policy.condition, subject)) continue;
    const passes = clausesFormula(policy.clauses, subject);
    if (passes.kind === 'const' && passes.value) continue;
    if (policy.message !== undefined) return policy.message;
    break;
  }
  const type = subject.resource.jsonApi?.type ?? subject.resource.name;
  return subject.actor === undefined ? `Authentication is required to ${subject.action.name} a ${type}` : `You may not ${subject.action.name} this ${type}`;
}

export function decide(subject: PolicySubject): Decision {
  const policies = subject.resource.policies;
  // Secure by default: a resource that declares no policies is the admin's alone.
  if (policies.length === 0) {
    return subject.actor?.['type'] === 'admin' ? { kind: 'allow' } : { kind: 'deny', message: messageFor(policies, subject) };
  }
  const formula = fromPolicy(policies, 0, false, subject);
  if (formula.kind === 'const') return formula.value ? { kind: 'allow' } : { kind: 'deny', message: messageFor(policies, subject) };
  return { kind: 'filter', formula, message: messageFor(policies, subject) };
}
