import type { AttributeSpec, JsonValue, ResourceDefinition, ValueSpec } from '../define.ts';
import { describeValue, valueProblem } from './check-values.ts';
import type { DefinitionErrorCode, DefinitionIssue } from './errors.ts';

/** One resource file being checked: reports issues against its file and members. */
export interface ResourceContext {
  readonly file: string;
  readonly definition: ResourceDefinition;
  readonly issues: DefinitionIssue[];
}

export function report(ctx: ResourceContext, code: DefinitionErrorCode, member: string, detail: string): void {
  ctx.issues.push({ code, file: ctx.file, member: `${ctx.definition.name}.${member}`, detail });
}

/** Resource definitions by name, for resolving relationship destinations and paths. */
export type DefinitionIndex = ReadonlyMap<string, ResourceDefinition>;

export type PathResolution = { readonly ok: true; readonly spec: AttributeSpec } | { readonly ok: false; readonly problem: string };

/**
 * Resolves `ref('agent', 'agent_id')`: zero or more to-one relationships, then an attribute.
 * Filters may cross to-many relationships only through `exists`, which the expression language does not have yet.
 */
export function resolveRefPath(index: DefinitionIndex, start: ResourceDefinition, path: readonly string[]): PathResolution {
  let current = start;
  for (const [position, segment] of path.entries()) {
    const isLast = position === path.length - 1;
    if (isLast) {
      const attribute = current.attributes[segment];
      if (attribute !== undefined) return { ok: true, spec: attribute.spec };
      return { ok: false, problem: `'${segment}' is not an attribute of ${current.name}` };
    }
    const relationship = current.relationships?.[segment];
    if (relationship === undefined) return { ok: false, problem: `'${segment}' is not a relationship of ${current.name}` };
    if (relationship.kind !== 'belongs_to') {
      return { ok: false, problem: `'${segment}' is a to-many relationship; paths may only follow to-one relationships` };
    }
    const next = index.get(relationship.destination);
    if (next === undefined) return { ok: false, problem: `'${relationship.destination}' is not a resource` };
    current = next;
  }
  return { ok: false, problem: 'the path is empty' };
}

/** Checks a value used against an attribute (a change, a validation, a comparison in an expression). */
export function checkValueAgainst(
  ctx: ResourceContext,
  member: string,
  spec: AttributeSpec,
  value: ValueSpec,
  argumentNames: ReadonlySet<string> | undefined,
): void {
  switch (value.kind) {
    case 'literal':
      checkLiteral(ctx, member, spec, value.value);
      return;
    case 'now':
      if (spec.kind !== 'datetime') report(ctx, 'INVALID_VALUE', member, `now() can only set a datetime, not a ${spec.kind}`);
      return;
    case 'arg':
      if (argumentNames !== undefined && !argumentNames.has(value.name)) {
        report(ctx, 'UNKNOWN_ARGUMENT', member, `arg('${value.name}') is not an argument of this action`);
      }
      return;
    case 'ago':
      if (spec.kind !== 'datetime') report(ctx, 'INVALID_VALUE', member, `ago() is a time; it cannot set a ${spec.kind}`);
      return;
    case 'atomic_ref':
      checkAtomicRef(ctx, member, value);
      return;
    case 'actor':
    case 'ref':
    case 'context':
      return;
  }
}

/** `atomicRef(name)` names an attribute of the resource itself (the row being written). */
export function checkAtomicRef(ctx: ResourceContext, member: string, value: ValueSpec): void {
  if (value.kind !== 'atomic_ref' || value.attribute in ctx.definition.attributes) return;
  report(ctx, 'UNKNOWN_ATTRIBUTE', member, `atomicRef('${value.attribute}'): not an attribute of ${ctx.definition.name}`);
}

export function checkLiteral(ctx: ResourceContext, member: string, spec: AttributeSpec, value: JsonValue): void {
  const problem = valueProblem(spec, value);
  if (problem !== undefined) report(ctx, 'INVALID_VALUE', member, `${describeValue(value)} ${problem}`);
}
