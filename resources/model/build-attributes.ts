import type { AttributeSpec, ColumnIndexSpec, DefaultSpec, Expr } from '../define.ts';
import { describeValue, valueProblem } from './check-values.ts';
import { report, type ResourceContext } from './context.ts';
import { identityIndexName, indexName, isSnakeCase } from './names.ts';
import type { ActionModel, AttributeModel, IdentityModel, IndexKeyModel, IndexModel } from './types.ts';

const timeIdPrefix = /^[a-z][a-z0-9]*_$/;
const typeName = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Which kinds each database-computed default can fill. */
const defaultFits: { readonly [K in Exclude<DefaultSpec['kind'], 'value'>]: (spec: AttributeSpec) => boolean } = {
  now: (spec) => spec.kind === 'datetime',
  uuid: (spec) => spec.kind === 'uuid',
  time_id: (spec) => spec.kind === 'string' || spec.kind === 'text',
};

function checkDefault(ctx: ResourceContext, member: string, spec: AttributeSpec): void {
  const fallback = spec.default;
  if (fallback === undefined) return;
  if (fallback.kind === 'value') {
    const problem = fallback.value === null ? 'is null' : valueProblem(spec, fallback.value);
    if (problem !== undefined) report(ctx, 'INVALID_DEFAULT', `${member}.default`, `${describeValue(fallback.value)} ${problem}`);
    return;
  }
  if (!defaultFits[fallback.kind](spec)) {
    report(ctx, 'INVALID_DEFAULT', `${member}.default`, `a ${fallback.kind} default cannot fill a ${spec.kind} attribute`);
  }
  if (fallback.kind === 'time_id' && !timeIdPrefix.test(fallback.prefix)) {
    report(ctx, 'INVALID_DEFAULT', `${member}.default`, `timeId prefix '${fallback.prefix}' must look like 'work_'`);
  }
}

function checkConstraints(ctx: ResourceContext, member: string, spec: AttributeSpec): void {
  switch (spec.kind) {
    case 'string':
    case 'text':
      if (spec.minLength !== undefined && spec.maxLength !== undefined && spec.minLength > spec.maxLength) {
        report(ctx, 'INVALID_CONSTRAINT', member, `minLength ${spec.minLength} exceeds maxLength ${spec.maxLength}`);
      }
      return;
    case 'integer':
    case 'float':
      if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
        report(ctx, 'INVALID_CONSTRAINT', member, `min ${spec.min} exceeds max ${spec.max}`);
      }
      return;
    case 'atom':
      if (spec.oneOf.length === 0) report(ctx, 'INVALID_CONSTRAINT', member, 'one_of is empty');
      if (new Set(spec.oneOf).size !== spec.oneOf.length) report(ctx, 'INVALID_CONSTRAINT', member, 'one_of repeats a value');
      return;
    case 'array':
      checkConstraints(ctx, `${member}.items`, spec.items);
      return;
    case 'map':
      if (spec.shape !== undefined && !typeName.test(spec.shape)) report(ctx, 'INVALID_NAME', `${member}.shape`, `'${spec.shape}' is not a TypeScript type name`);
      return;
    case 'uuid':
    case 'boolean':
    case 'datetime':
      return;
  }
}

export function buildAttributes(ctx: ResourceContext): { attributes: AttributeModel[]; primaryKey: AttributeModel | undefined } {
  const attributes: AttributeModel[] = [];
  for (const [name, attribute] of Object.entries(ctx.definition.attributes)) {
    const member = `attributes.${name}`;
    if (!isSnakeCase(name)) report(ctx, 'INVALID_NAME', member, `'${name}' must be snake_case (at most 63 characters)`);
    checkConstraints(ctx, member, attribute.spec);
    checkDefault(ctx, member, attribute.spec);
    attributes.push({ name, spec: attribute.spec });
  }
  const keys = attributes.filter((a) => a.spec.primaryKey);
  const [primaryKey] = keys;
  if (keys.length !== 1 || primaryKey?.spec.kind !== 'uuid') {
    report(ctx, 'INVALID_PRIMARY_KEY', 'attributes', `found ${keys.length} primary keys; declare id: attr.uuidPrimaryKey()`);
  }
  return { attributes, primaryKey };
}

export function buildIdentities(ctx: ResourceContext, attributeNames: ReadonlySet<string>): IdentityModel[] {
  return Object.entries(ctx.definition.identities ?? {}).map(([name, keys]) => {
    const member = `identities.${name}`;
    if (!isSnakeCase(name)) report(ctx, 'INVALID_NAME', member, `'${name}' must be snake_case`);
    for (const key of keys) {
      if (!attributeNames.has(key)) report(ctx, 'UNKNOWN_ATTRIBUTE', member, `'${key}' is not an attribute of ${ctx.definition.name}`);
    }
    return { name, keys: [...keys], indexName: identityIndexName(ctx.definition.table, name) };
  });
}

export function buildIndexes(ctx: ResourceContext, attributes: readonly AttributeModel[], actions: readonly ActionModel[]): IndexModel[] {
  const byName = new Map(attributes.map((a) => [a.name, a.spec]));
  const seen = new Set<string>();
  return (ctx.definition.indexes ?? []).flatMap((index, position) => {
    const member = `indexes[${position}]`;
    const built = 'target' in index ? targetIndex(ctx, member, index.target, attributes, actions) : columnIndex(ctx, member, index, byName);
    if (built === undefined) return [];
    if (seen.has(built.name)) report(ctx, 'DUPLICATE_NAME', member, `an index on (${built.on.join(', ')}) is declared twice`);
    seen.add(built.name);
    return [built];
  });
}

function columnIndex(ctx: ResourceContext, member: string, index: ColumnIndexSpec, byName: ReadonlyMap<string, AttributeSpec>): IndexModel {
  const using = index.using ?? 'btree';
  for (const column of index.on) {
    const spec = byName.get(column);
    if (spec === undefined) {
      report(ctx, 'UNKNOWN_ATTRIBUTE', member, `'${column}' is not an attribute of ${ctx.definition.name}`);
    } else if (using === 'gin' && spec.kind !== 'array' && spec.kind !== 'map') {
      report(ctx, 'INVALID_INDEX', member, `a gin index needs an array or map attribute; '${column}' is a ${spec.kind}`);
    }
  }
  return { name: indexName(ctx.definition.table, index.on), on: [...index.on], using };
}

/** The `attribute = literal` conditions an expression requires (its top-level AND), for a partial index. */
function requiredEqualities(expr: Expr | undefined): { attribute: string; value: string | number | boolean }[] {
  if (expr === undefined) return [];
  if (expr.op === 'and') return expr.args.flatMap(requiredEqualities);
  if (expr.op !== 'eq' || expr.left.kind !== 'ref' || expr.left.path.length !== 1 || expr.right.kind !== 'literal') return [];
  const value = expr.right.value;
  const attribute = expr.left.path[0];
  return attribute !== undefined && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') ? [{ attribute, value }] : [];
}

function targetIndex(ctx: ResourceContext, member: string, actionName: string, attributes: readonly AttributeModel[], actions: readonly ActionModel[]): IndexModel | undefined {
  const target = actions.find((a) => a.name === actionName)?.target;
  if (target === undefined) {
    report(ctx, 'INVALID_INDEX', member, `'${actionName}' is not an action of ${ctx.definition.name} with a target`);
    return undefined;
  }
  const readsDifferently = target.sort.find((s) => attributes.find((a) => a.name === s.attribute)?.spec.readAs !== undefined);
  if (readsDifferently !== undefined) {
    report(ctx, 'INVALID_INDEX', member, `'${readsDifferently.attribute}' is read through readAs, so no index on its column can order ${actionName}`);
    return undefined;
  }
  const primaryKey = attributes.find((a) => a.spec.primaryKey)?.name ?? 'id';
  const keys: IndexKeyModel[] = target.sort.map((s) => {
    const spec = attributes.find((a) => a.name === s.attribute)?.spec;
    return { attribute: s.attribute, descending: s.direction === 'desc', ...(spec?.kind === 'atom' ? { rank: spec.oneOf.map(String) } : {}) };
  });
  // The engine breaks ties by the primary key, ascending.
  if (!keys.some((k) => k.attribute === primaryKey)) keys.push({ attribute: primaryKey, descending: false });
  const stored = (name: string) => attributes.find((a) => a.name === name)?.spec.readAs === undefined;
  const where = requiredEqualities(target.filter).filter((w) => stored(w.attribute));
  return { name: `${ctx.definition.table}_${actionName}_index`, on: keys.map((k) => k.attribute), using: 'btree', keys, ...(where.length === 0 ? {} : { where }) };
}
