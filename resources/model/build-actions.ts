import type { ActionSpec, ActionType, ChangeSpec, ValidationSpec } from '../define.ts';
import { checkExpr, exprValues } from './check-expressions.ts';
import { checkAtomicRef, checkLiteral, checkValueAgainst, report, type DefinitionIndex, type ResourceContext } from './context.ts';
import { isSnakeCase } from './names.ts';
import { checkSimple } from './build-policies.ts';
import type { ActionModel, ArgumentModel, AttributeModel } from './types.ts';

const acceptable = (a: AttributeModel): boolean => a.spec.public && a.spec.writable;

/** `defaults [:read, :update]`: actions named after their type, accepting `defaultAccept` or every public writable attribute. */
function defaultActions(ctx: ResourceContext, attributes: readonly AttributeModel[]): [string, ActionSpec][] {
  const accept = ctx.definition.defaultAccept ?? attributes.filter(acceptable).map((a) => a.name);
  const byType: { readonly [K in ActionType]: () => ActionSpec } = {
    create: () => ({ type: 'create', accept }),
    read: () => ({ type: 'read' }),
    update: () => ({ type: 'update', accept }),
    destroy: () => ({ type: 'destroy' }),
  };
  return (ctx.definition.defaults ?? []).map((type) => [type, byType[type]()]);
}

function checkAccept(ctx: ResourceContext, member: string, names: readonly string[], byName: ReadonlyMap<string, AttributeModel>): void {
  for (const name of names) {
    const attribute = byName.get(name);
    if (attribute === undefined) report(ctx, 'UNKNOWN_ATTRIBUTE', member, `'${name}' is not an attribute of ${ctx.definition.name}`);
    else if (!acceptable(attribute)) report(ctx, 'NOT_ACCEPTABLE', member, `'${name}' is ${attribute.spec.public ? 'generated' : 'private'}`);
  }
}

function checkChanges(
  ctx: ResourceContext,
  member: string,
  changes: readonly ChangeSpec[],
  byName: ReadonlyMap<string, AttributeModel>,
  argumentNames: ReadonlySet<string>,
): void {
  for (const [position, change] of changes.entries()) {
    const at = `${member}.changes[${position}]`;
    checkSimple(ctx, `${at}.when`, change.when ?? []);
    const attribute = byName.get(change.attribute);
    if (attribute === undefined) {
      report(ctx, 'UNKNOWN_ATTRIBUTE', at, `${change.kind}('${change.attribute}'): not an attribute of ${ctx.definition.name}`);
      continue;
    }
    switch (change.kind) {
      case 'set_attribute':
        checkValueAgainst(ctx, at, attribute.spec, change.value, argumentNames);
        break;
      case 'generate_token':
        if (attribute.spec.kind !== 'string' && attribute.spec.kind !== 'text') report(ctx, 'INVALID_VALUE', at, `a token hash needs a string attribute, not a ${attribute.spec.kind}`);
        if (attribute.spec.public) report(ctx, 'INVALID_VALUE', at, `'${change.attribute}' holds a token hash and must be private`);
        if (!/^[a-z]{2,8}_$/.test(change.prefix)) report(ctx, 'INVALID_VALUE', at, `token prefix '${change.prefix}' must look like 'ssa_'`);
        break;
    }
  }
}

function checkValidations(
  ctx: ResourceContext,
  index: DefinitionIndex,
  member: string,
  validations: readonly ValidationSpec[],
  byName: ReadonlyMap<string, AttributeModel>,
  argumentNames: ReadonlySet<string>,
  written: ReadonlySet<string>,
): void {
  for (const [position, validation] of validations.entries()) {
    const at = `${member}.validate[${position}]`;
    if (validation.kind === 'count_below') {
      checkExpr(ctx, index, at, validation.filter, argumentNames);
      checkAtomicRef(ctx, `${at}.lockOn`, validation.lockOn);
      // In the count's subquery an unwritten atomicRef would fall back to the counted row itself (always "equal").
      for (const value of [...exprValues(validation.filter), validation.lockOn]) {
        if (value.kind === 'atomic_ref' && value.attribute in ctx.definition.attributes && !written.has(value.attribute)) {
          report(ctx, 'INVALID_VALUE', at, `atomicRef('${value.attribute}') in a count must name an attribute this action writes (accept or a change)`);
        }
      }
      continue;
    }
    const attribute = byName.get(validation.attribute);
    if (attribute === undefined) {
      report(ctx, 'UNKNOWN_ATTRIBUTE', at, `${validation.kind}('${validation.attribute}'): not an attribute of ${ctx.definition.name}`);
      continue;
    }
    const values = validation.kind === 'attribute_in' ? validation.values : [validation.value];
    for (const value of values) checkLiteral(ctx, at, attribute.spec, value);
  }
}

function buildArguments(ctx: ResourceContext, member: string, spec: ActionSpec, byName: ReadonlyMap<string, AttributeModel>): ArgumentModel[] {
  return Object.entries(spec.arguments ?? {}).map(([name, argument]) => {
    if (!isSnakeCase(name)) report(ctx, 'INVALID_NAME', `${member}.arguments.${name}`, `'${name}' must be snake_case`);
    if (byName.has(name)) report(ctx, 'DUPLICATE_NAME', `${member}.arguments.${name}`, `'${name}' is also an attribute`);
    return { name, spec: argument.spec };
  });
}

/** Inputs the caller must give: NOT NULL accepted attributes without default that no change sets, plus `require`. */
function requiredInputs(spec: ActionSpec, accept: readonly string[], byName: ReadonlyMap<string, AttributeModel>, args: readonly ArgumentModel[]): string[] {
  const setByChange = new Set((spec.changes ?? []).map((c) => c.attribute));
  const required = new Set(spec.type === 'create' || spec.type === 'update' ? (spec.require ?? []) : []);
  if (spec.type === 'create') {
    for (const name of accept) {
      const attribute = byName.get(name);
      if (attribute !== undefined && !attribute.spec.allowNil && attribute.spec.default === undefined && !setByChange.has(name)) required.add(name);
    }
  }
  for (const argument of args) if (!argument.spec.allowNil && argument.spec.default === undefined) required.add(argument.name);
  return [...required];
}

function checkCreateCoversNotNull(ctx: ResourceContext, member: string, spec: ActionSpec, accept: readonly string[], attributes: readonly AttributeModel[]): void {
  if (spec.type !== 'create') return;
  const setByChange = new Set((spec.changes ?? []).map((c) => c.attribute));
  for (const attribute of attributes) {
    const filled = attribute.spec.allowNil || attribute.spec.default !== undefined || accept.includes(attribute.name) || setByChange.has(attribute.name);
    if (!filled) report(ctx, 'UNSATISFIABLE_ACTION', member, `never sets '${attribute.name}', which is NOT NULL without a default`);
  }
}

function buildAction(ctx: ResourceContext, index: DefinitionIndex, name: string, spec: ActionSpec, attributes: readonly AttributeModel[]): ActionModel {
  const member = `actions.${name}`;
  const byName = new Map(attributes.map((a) => [a.name, a]));
  if (!isSnakeCase(name)) report(ctx, 'INVALID_NAME', member, `'${name}' must be snake_case`);
  const accept = spec.type === 'create' || spec.type === 'update' ? [...(spec.accept ?? [])] : [];
  checkAccept(ctx, `${member}.accept`, accept, byName);
  if (spec.type === 'create' || spec.type === 'update') {
    for (const required of spec.require ?? []) {
      if (!accept.includes(required)) report(ctx, 'UNKNOWN_ATTRIBUTE', `${member}.require`, `'${required}' is not in accept`);
    }
  }
  const args = buildArguments(ctx, member, spec, byName);
  const argumentNames = new Set(args.map((a) => a.name));
  checkChanges(ctx, member, spec.changes ?? [], byName, argumentNames);
  const validations = spec.type === 'update' || spec.type === 'destroy' ? (spec.validate ?? []) : [];
  const written = new Set([...accept, ...(spec.changes ?? []).map((c) => c.attribute)]);
  checkValidations(ctx, index, member, validations, byName, argumentNames, written);
  if (spec.type === 'update' && spec.target !== undefined) {
    if (spec.target.filter !== undefined) checkExpr(ctx, index, `${member}.target.filter`, spec.target.filter, argumentNames);
    for (const [i, key] of spec.target.sort.entries()) {
      const attribute = byName.get(key.attribute);
      if (attribute === undefined) report(ctx, 'UNKNOWN_ATTRIBUTE', `${member}.target.sort[${i}]`, `'${key.attribute}' is not an attribute of ${ctx.definition.name}`);
      else if (attribute.spec.kind === 'map' || attribute.spec.kind === 'array') report(ctx, 'INVALID_VALUE', `${member}.target.sort[${i}]`, `a ${attribute.spec.kind} cannot be sorted`);
    }
  }
  checkCreateCoversNotNull(ctx, member, spec, accept, attributes);
  if (spec.type === 'read' && spec.filter !== undefined) checkExpr(ctx, index, `${member}.filter`, spec.filter, argumentNames);
  return {
    name,
    type: spec.type,
    primary: spec.primary ?? false,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    accept,
    required: requiredInputs(spec, accept, byName, args),
    arguments: args,
    changes: spec.changes ?? [],
    validations,
    ...(spec.type === 'read' && spec.filter !== undefined ? { filter: spec.filter } : {}),
    ...(spec.type === 'update' && spec.target !== undefined ? { target: spec.target } : {}),
    ...(spec.notify === undefined ? {} : { notify: spec.notify }),
  };
}

/** The primary action of a type: the one marked primary, else the only one, else the one named after the type. */
function markPrimaries(ctx: ResourceContext, actions: ActionModel[]): ActionModel[] {
  const types = new Set(actions.map((a) => a.type));
  const primaries = new Set<string>();
  for (const type of types) {
    const ofType = actions.filter((a) => a.type === type);
    const marked = ofType.filter((a) => a.primary);
    if (marked.length > 1) report(ctx, 'DUPLICATE_NAME', 'actions', `${marked.map((a) => a.name).join(' and ')} are both primary ${type} actions`);
    const chosen = marked[0] ?? (ofType.length === 1 ? ofType[0] : ofType.find((a) => a.name === type));
    if (chosen !== undefined) primaries.add(chosen.name);
  }
  return actions.map((a) => ({ ...a, primary: primaries.has(a.name) }));
}

export function buildActions(ctx: ResourceContext, index: DefinitionIndex, attributes: readonly AttributeModel[]): ActionModel[] {
  const named = Object.entries(ctx.definition.actions ?? {});
  const defaults = defaultActions(ctx, attributes);
  const seen = new Set<string>();
  const built: ActionModel[] = [];
  for (const [name, spec] of [...defaults, ...named]) {
    if (seen.has(name)) {
      report(ctx, 'DUPLICATE_NAME', `actions.${name}`, `'${name}' is declared both in defaults and in actions`);
      continue;
    }
    seen.add(name);
    built.push(buildAction(ctx, index, name, spec, attributes));
  }
  return markPrimaries(ctx, built);
}
