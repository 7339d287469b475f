import type { AttributeSpec, DefaultSpec, ScalarSpec } from '../../resources/define.ts';
import {
  atomOrderSql,
  byKind,
  checkName,
  storageFingerprint,
  timeIdSequence,
  type AttributeModel,
  type IndexKeyModel,
  type IndexModel,
  type KindTable,
  type Model,
  type ResourceModel,
} from '../../resources/model/index.ts';
import { code, generatedHeader, statement, type Code, type GeneratedFile } from './code.ts';
import { quoteIdentifier, quoteLiteral, timeIdDefaultSql } from './sql-text.ts';

const pgCore = (name: string): Code => code.identifier(name);
const sqlRaw = (text: string): Code => code.call(code.member(code.identifier('sql'), 'raw'), code.literal(text));

/** The Drizzle column builder for each attribute kind (before modifiers). */
const columnFor: KindTable<(column: string) => Code> = {
  uuid: () => (column) => code.call(pgCore('uuid'), code.literal(column)),
  string: () => (column) => code.call(pgCore('text'), code.literal(column)),
  text: () => (column) => code.call(pgCore('text'), code.literal(column)),
  integer: () => (column) => code.call(pgCore('integer'), code.literal(column)),
  float: () => (column) => code.call(pgCore('doublePrecision'), code.literal(column)),
  boolean: () => (column) => code.call(pgCore('boolean'), code.literal(column)),
  atom: (spec) => (column) =>
    code.call(pgCore('text'), code.literal(column), code.object([['enum', code.literal(spec.oneOf)]])),
  datetime: () => (column) =>
    code.call(
      pgCore('timestamp'),
      code.literal(column),
      code.object([
        ['withTimezone', code.literal(true)],
        ['precision', code.literal(6)],
        ['mode', code.literal('string')],
      ]),
    ),
  map: () => (column) => code.typedMethod(code.call(pgCore('jsonb'), code.literal(column)), '$type', 'Record<string, unknown>'),
  array: (spec) => (column) => code.method(byKind(columnFor, spec.items)(column), 'array'),
};

/** Database-side CHECK predicates per kind, so bad data is refused even when it bypasses the API. */
const checksFor: KindTable<(column: string) => string[]> = {
  uuid: () => () => [],
  string: (spec) => (column) => lengthChecks(column, spec.minLength, spec.maxLength),
  text: (spec) => (column) => lengthChecks(column, spec.minLength, spec.maxLength),
  integer: (spec) => (column) => rangeChecks(column, spec.min, spec.max),
  float: (spec) => (column) => rangeChecks(column, spec.min, spec.max),
  boolean: () => () => [],
  atom: (spec) => (column) => [`${quoteIdentifier(column)} IN (${spec.oneOf.map(quoteLiteral).join(', ')})`],
  datetime: () => () => [],
  map: () => (column) => [`jsonb_typeof(${quoteIdentifier(column)}) = 'object'`],
  array: (spec) => (column) => arrayItemChecks(column, spec.items),
};

function lengthChecks(column: string, min: number | undefined, max: number | undefined): string[] {
  return [
    ...(min === undefined ? [] : [`char_length(${quoteIdentifier(column)}) >= ${min}`]),
    ...(max === undefined ? [] : [`char_length(${quoteIdentifier(column)}) <= ${max}`]),
  ];
}
function rangeChecks(column: string, min: number | undefined, max: number | undefined): string[] {
  return [
    ...(min === undefined ? [] : [`${quoteIdentifier(column)} >= ${min}`]),
    ...(max === undefined ? [] : [`${quoteIdentifier(column)} <= ${max}`]),
  ];
}
function arrayItemChecks(column: string, items: ScalarSpec): string[] {
  if (items.kind !== 'atom') return [];
  return [`${quoteIdentifier(column)} <@ ARRAY[${items.oneOf.map(quoteLiteral).join(', ')}]::text[]`];
}

const defaultFor: { readonly [K in DefaultSpec['kind']]: (column: Code, spec: Extract<DefaultSpec, { kind: K }>) => Code } = {
  value: (column, spec) => code.method(column, 'default', code.literal(spec.value)),
  now: (column) => code.method(column, 'defaultNow'),
  uuid: (column) => code.method(column, 'defaultRandom'),
  time_id: (column, spec) => code.method(column, 'default', sqlRaw(timeIdDefaultSql(spec.prefix, timeIdSequence))),
};

function applyDefault(column: Code, spec: DefaultSpec): Code {
  switch (spec.kind) {
    case 'value':
      return defaultFor.value(column, spec);
    case 'now':
      return defaultFor.now(column, spec);
    case 'uuid':
      return defaultFor.uuid(column, spec);
    case 'time_id':
      return defaultFor.time_id(column, spec);
  }
}

function column(attribute: AttributeModel): Code {
  const { spec } = attribute;
  let built = byKind(columnFor, spec)(attribute.name);
  if (spec.primaryKey) built = code.method(built, 'primaryKey');
  if (!spec.allowNil) built = code.method(built, 'notNull');
  if (spec.default !== undefined) built = applyDefault(built, spec.default);
  return built;
}

const columnRef = (name: string): Code => code.member(code.identifier('table'), name);

const sqlLiteral = (value: string | number | boolean): string => (typeof value === 'string' ? quoteLiteral(value) : String(value));

/** A target index: atom keys by declared order (the engine's exact ORDER BY expression), partial on the target's equalities. */
function targetIndexCode(builder: Code, keys: readonly IndexKeyModel[], where: NonNullable<IndexModel['where']>): Code {
  const keyCode = keys.map((key) => {
    const direction = key.descending ? ' DESC' : '';
    if (key.rank !== undefined) return sqlRaw(`array_position(${atomOrderSql(key.rank)}, ${quoteIdentifier(key.attribute)})${direction}`);
    return key.descending ? code.method(columnRef(key.attribute), 'desc') : columnRef(key.attribute);
  });
  const on = code.method(builder, 'on', ...keyCode);
  if (where.length === 0) return on;
  return code.method(on, 'where', sqlRaw(where.map((w) => `${quoteIdentifier(w.attribute)} = ${sqlLiteral(w.value)}`).join(' AND ')));
}

function constraints(resource: ResourceModel, tableIdentifiers: ReadonlyMap<string, ResourceModel>): Code[] {
  const items: Code[] = [];
  for (const identity of resource.identities) {
    items.push(code.method(code.call(pgCore('uniqueIndex'), code.literal(identity.indexName)), 'on', ...identity.keys.map(columnRef)));
  }
  for (const index of resource.indexes) {
    const builder = code.call(pgCore('index'), code.literal(index.name));
    if (index.keys !== undefined) {
      items.push(targetIndexCode(builder, index.keys, index.where ?? []));
      continue;
    }
    items.push(index.using === 'gin' ? code.method(builder, 'using', code.literal('gin'), ...index.on.map(columnRef)) : code.method(builder, 'on', ...index.on.map(columnRef)));
  }
  for (const relationship of resource.relationships) {
    if (relationship.kind !== 'belongs_to' || relationship.foreignKeyName === undefined) continue;
    const destination = tableIdentifiers.get(relationship.destination);
    if (destination === undefined) continue;
    const foreignColumn =
      destination.name === resource.name
        ? columnRef(relationship.destinationAttribute)
        : code.member(code.identifier(destination.tableIdentifier), relationship.destinationAttribute);
    const key = code.call(
      pgCore('foreignKey'),
      code.object([
        ['name', code.literal(relationship.foreignKeyName)],
        ['columns', code.array([columnRef(relationship.sourceAttribute)])],
        ['foreignColumns', code.array([foreignColumn])],
      ]),
    );
    const onDelete = { nothing: 'no action', restrict: 'restrict', delete: 'cascade', nilify: 'set null' }[relationship.onDelete ?? 'nothing'];
    items.push(code.method(key, 'onDelete', code.literal(onDelete)));
  }
  for (const attribute of resource.attributes) {
    const predicates = byKind(checksFor, attribute.spec)(attribute.name);
    if (predicates.length === 0) continue;
    items.push(code.call(pgCore('check'), code.literal(checkName(resource.table, attribute.name)), sqlRaw(predicates.join(' AND '))));
  }
  return items;
}

/** Tables ordered so that every referenced table is declared before the tables that reference it. */
function dependencyOrder(resources: readonly ResourceModel[]): ResourceModel[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const ordered: ResourceModel[] = [];
  const visiting = new Set<string>();
  const visit = (resource: ResourceModel): void => {
    if (ordered.includes(resource) || visiting.has(resource.name)) return;
    visiting.add(resource.name);
    for (const relationship of resource.relationships) {
      const destination = relationship.kind === 'belongs_to' ? byName.get(relationship.destination) : undefined;
      if (destination !== undefined) visit(destination);
    }
    ordered.push(resource);
  };
  for (const resource of resources) visit(resource);
  return ordered;
}

const usesTimeId = (spec: AttributeSpec): boolean => spec.default?.kind === 'time_id';

/** drizzle/schema.ts: one pgTable per resource, the `tables` map by resource name, and the storage fingerprint. */
export function emitDrizzleSchema(model: Model): GeneratedFile {
  const byName = new Map(model.resources.map((r) => [r.name, r]));
  const body: string[] = [
    statement.exportConst(
      'storageFingerprint',
      code.literal(storageFingerprint(model)),
      'Hash of the resources this schema was generated from; the server refuses to start when they differ.',
    ),
  ];
  if (model.resources.some((r) => r.attributes.some((a) => usesTimeId(a.spec)))) {
    body.push(
      statement.exportConst(
        'timeIdSequence',
        code.call(pgCore('pgSequence'), code.literal(timeIdSequence)),
        'Feeds defaults.timeId(): unique ids across concurrent inserts and processes.',
      ),
    );
  }
  for (const resource of dependencyOrder(model.resources)) {
    const columns = code.object(resource.attributes.map((a) => [a.name, column(a)]));
    const extra = constraints(resource, byName);
    const args = [code.literal(resource.table), columns, ...(extra.length === 0 ? [] : [code.arrow(['table'], code.array(extra))])];
    body.push(statement.exportConst(resource.tableIdentifier, code.call(pgCore('pgTable'), ...args), `${resource.name} (${resource.file})`));
  }
  body.push(
    statement.exportConst(
      'tables',
      code.object(model.resources.map((r) => [r.name, code.identifier(r.tableIdentifier)])),
      'Every table by resource name: the runtime finds a resource\'s table here.',
    ),
  );
  const coreImports = new Set<string>(['pgTable']);
  const text = body.join('\n\n');
  for (const name of ['uuid', 'text', 'integer', 'doublePrecision', 'boolean', 'timestamp', 'jsonb', 'uniqueIndex', 'index', 'foreignKey', 'check', 'pgSequence']) {
    if (new RegExp(`\\b${name}\\(`).test(text)) coreImports.add(name);
  }
  const imports = [
    ...(text.includes('sql.raw(') ? [statement.importNamed(['sql'], 'drizzle-orm')] : []),
    statement.importNamed([...coreImports], 'drizzle-orm/pg-core'),
  ];
  return { path: 'drizzle/schema.ts', content: `${generatedHeader('drizzle')}${imports.join('\n')}\n\n${body.join('\n\n')}\n` };
}
