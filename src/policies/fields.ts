import type { ClauseSpec } from '../../resources/define.ts';
import { holds, type PolicySubject } from './checks.ts';

/** A field policy's clauses with simple checks only: first decisive clause wins, undecided means hidden. */
function passes(clauses: readonly ClauseSpec[], subject: PolicySubject): boolean {
  for (const clause of clauses) {
    const check = holds([clause.check], subject);
    switch (clause.clause) {
      case 'authorize_if':
        if (check) return true;
        break;
      case 'authorize_unless':
        if (!check) return true;
        break;
      case 'forbid_if':
        if (check) return false;
        break;
      case 'forbid_unless':
        if (!check) return false;
        break;
    }
  }
  return false;
}

/**
 * The attributes this actor may not see (Ash field policies): a field named by field policies is visible when at
 * least one of them applies and every applicable one passes. Hidden fields are left out of responses and refused
 * in filter, sort and fields parameters.
 */
export function hiddenFields(subject: PolicySubject): ReadonlySet<string> {
  const hidden = new Set<string>();
  const named = new Set(subject.resource.fieldPolicies.flatMap((p) => p.fields));
  for (const field of named) {
    const applicable = subject.resource.fieldPolicies.filter((p) => p.fields.includes(field) && holds(p.condition, subject));
    if (applicable.length === 0 || !applicable.every((p) => passes(p.clauses, subject))) hidden.add(field);
  }
  return hidden;
}
