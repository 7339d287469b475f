import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionType,
  always,
  attr,
  attributeEquals,
  atomicRef,
  authorizeIf,
  bypass,
  countBelow,
  create,
  defineResource,
  and,
  eq,
  expr,
  isNil,
  forbidIf,
  now,
  policy,
  action as actionCheck,
  ref,
  rel,
  relatesToActorVia,
  route,
  setAttribute,
  timestamps,
  update,
  defaults,
  type AttributeMap,
  type ResourceSpec,
} from '../../resources/define.ts';
import { buildModel, DefinitionError, loadModel, type DefinitionErrorCode } from '../../resources/model/index.ts';
import { loadRegistry } from '../../src/runtime/load-runtime.ts';

/** Definitions typed loosely on purpose: these tests exercise the load-time checks, not the static ones. */
type LooseSpec = ResourceSpec<string, AttributeMap>;
const loose = (spec: LooseSpec) => defineResource<string, AttributeMap>(spec);

const owner = loose({
  name: 'owner',
  domain: 'inventory',
  table: 'owners',
  attributes: { id: attr.uuidPrimaryKey(), ...timestamps() },
  relationships: { things: rel.hasMany('thing', { destinationAttribute: 'owner_id' }) },
  defaults: ['read'],
});

const thing = (overrides: Partial<LooseSpec> = {}): LooseSpec => ({
  name: 'thing',
  domain: 'inventory',
  table: 'things',
  attributes: {
    id: attr.uuidPrimaryKey(),
    label: attr.string().notNull(),
    status: attr.atom(['new', 'used']).notNull().default('new'),
    tags: attr.array(attr.string()).default([]),
    owner_id: attr.uuid(),
    ...timestamps(),
  },
  relationships: { owner: rel.belongsTo('owner', { attribute: 'owner_id', onDelete: 'nilify' }) },
  defaults: ['read', 'destroy'],
  actions: {
    make: create({ accept: ['label', 'status', 'owner_id'] }),
    use: update({ validate: [attributeEquals('status', 'new', 'must be new')], changes: [setAttribute('status', 'used')] }),
  },
  policies: [policy(actionType('read'), [authorizeIf(always())])],
  jsonApi: { routes: [route.index('read'), route.post('make'), route.patch('use', { path: '/:id/use' })], includes: ['owner'] },
  ...overrides,
});

const build = (spec: LooseSpec, extra: readonly LooseSpec[] = []) =>
  buildModel([owner, loose(spec), ...extra.map(loose)].map((definition) => ({ file: `resources/${definition.name}.resource.ts`, definition })));

function expectIssue(run: () => unknown, code: DefinitionErrorCode, member: string, detail?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    const issues = (error as DefinitionError).issues;
    const found = issues.find((i) => i.code === code && i.member === member);
    expect(found, `expected ${code} at ${member}; got ${issues.map((i) => `${i.code} ${i.member}`).join(', ')}`).toBeDefined();
    expect(found?.file).toMatch(/^resources\/\w+\.resource\.ts$/);
    if (detail !== undefined) expect(found?.detail).toMatch(detail);
    expect((error as Error).message).toContain(`${found?.file}: ${member}`);
    return;
  }
  throw new Error(`expected a DefinitionError with ${code} at ${member}`);
}

describe('a valid definition', () => {
  it('builds a frozen model', () => {
    const model = build(thing());
    expect(model.resources.map((r) => r.name)).toEqual(['owner', 'thing']);
    expect(Object.isFrozen(model.resources[1]?.actions[0])).toBe(true);
  });
});

describe('each definition mistake is refused with a coded message naming the file and the member', () => {
  const cases: readonly [string, () => LooseSpec, DefinitionErrorCode, string, RegExp?][] = [
    ['accept names a missing attribute', () => thing({ actions: { make: create({ accept: ['lable'] }) } }), 'UNKNOWN_ATTRIBUTE', 'thing.actions.make.accept', /'lable'/],
    ['relationship to an unknown resource', () => thing({ relationships: { owner: rel.belongsTo('ownr', { attribute: 'owner_id' }) } }), 'UNKNOWN_RESOURCE', 'thing.relationships.owner', /'ownr'/],
    ['an action declared both in defaults and actions', () => thing({ defaults: ['read', 'create'], actions: { create: create({ accept: ['label'] }) } }), 'DUPLICATE_NAME', 'thing.actions.create'],
    ['a relationship named like an attribute', () => thing({ relationships: { label: rel.belongsTo('owner', { attribute: 'owner_id' }) } }), 'DUPLICATE_NAME', 'thing.relationships.label'],
    [
      'an atom default outside one_of',
      () => thing({ attributes: { ...thing().attributes, status: attr.atom(['new', 'used']).notNull().default('broken' as 'new') } }),
      'INVALID_DEFAULT',
      'thing.attributes.status.default',
      /'new', 'used'/,
    ],
    ['a policy naming a missing attribute', () => thing({ policies: [policy(actionType('read'), [authorizeIf(expr(eq(ref('colour'), 'red')))])] }), 'UNKNOWN_ATTRIBUTE', 'thing.policies[0].authorize_if[0]', /'colour'/],
    ['a policy naming a missing action', () => thing({ policies: [policy(actionCheck('paint'), [authorizeIf(always())])] }), 'UNKNOWN_ACTION', 'thing.policies[0].condition[0]'],
    ['a policy through a missing relationship', () => thing({ policies: [policy(actionType('read'), [authorizeIf(relatesToActorVia('maker'))])] }), 'UNKNOWN_RELATIONSHIP', 'thing.policies[0].authorize_if[0]'],
    ['relates_to_actor_via without a relationship path', () => thing({ policies: [policy(actionType('read'), [authorizeIf(relatesToActorVia([]))])] }), 'INVALID_POLICY', 'thing.policies[0].authorize_if[0]', /relationship path/],
    ['a bypass that can only forbid', () => thing({ policies: [bypass(always(), [forbidIf(always())])] }), 'INVALID_POLICY', 'thing.policies[0]'],
    ['a policy without clauses', () => thing({ policies: [policy(always(), [])] }), 'INVALID_POLICY', 'thing.policies[0]'],
    ['a change setting a value outside one_of', () => thing({ actions: { use: update({ changes: [setAttribute('status', 'gone')] }) } }), 'INVALID_VALUE', 'thing.actions.use.changes[0]'],
    ['now() into a string', () => thing({ actions: { use: update({ changes: [setAttribute('label', now())] }) } }), 'INVALID_VALUE', 'thing.actions.use.changes[0]'],
    ['a change of a missing attribute', () => thing({ actions: { use: update({ changes: [setAttribute('colour', 'red')] }) } }), 'UNKNOWN_ATTRIBUTE', 'thing.actions.use.changes[0]'],
    ['a validation value outside one_of', () => thing({ actions: { use: update({ validate: [attributeEquals('status', 'mint', 'm')] }) } }), 'INVALID_VALUE', 'thing.actions.use.validate[0]'],
    ['accepting a generated attribute', () => thing({ actions: { make: create({ accept: ['label', 'inserted_at'] }) } }), 'NOT_ACCEPTABLE', 'thing.actions.make.accept'],
    ['require outside accept', () => thing({ actions: { make: create({ accept: ['label'], require: ['status'] }) } }), 'UNKNOWN_ATTRIBUTE', 'thing.actions.make.require'],
    ['a create that never sets a NOT NULL attribute', () => thing({ actions: { make: create({ accept: ['status'] }) } }), 'UNSATISFIABLE_ACTION', 'thing.actions.make', /'label'/],
    ['a route to a missing action', () => thing({ jsonApi: { routes: [route.index('list')] } }), 'UNKNOWN_ACTION', 'thing.jsonApi.routes[0]'],
    ['a route with an action of the wrong type', () => thing({ jsonApi: { routes: [route.post('use')] } }), 'WRONG_ACTION_TYPE', 'thing.jsonApi.routes[0]'],
    ['a member route without :id', () => thing({ jsonApi: { routes: [route.patch('use', { path: '/use' })] } }), 'INVALID_ROUTE', 'thing.jsonApi.routes[0]'],
    ['an include through a missing relationship', () => thing({ jsonApi: { routes: [], includes: ['owner.pets'] } }), 'UNKNOWN_RELATIONSHIP', 'thing.jsonApi.includes', /'pets'/],
    ['a page default above the maximum', () => thing({ jsonApi: { routes: [], page: { default: 600, max: 500 } } }), 'INVALID_CONSTRAINT', 'thing.jsonApi.page'],
    ['an include budget of zero', () => thing({ jsonApi: { routes: [], page: { maxIncluded: 0 } } }), 'INVALID_CONSTRAINT', 'thing.jsonApi.page.maxIncluded'],
    ['a name that is not snake_case', () => thing({ attributes: { ...thing().attributes, Label: attr.string() } }), 'INVALID_NAME', 'thing.attributes.Label'],
    ['no primary key', () => thing({ attributes: { label: attr.string().notNull() }, relationships: {}, actions: {}, jsonApi: { routes: [] } }), 'INVALID_PRIMARY_KEY', 'thing.attributes'],
    ['a gin index on a scalar', () => thing({ indexes: [{ on: ['label'], using: 'gin' }] }), 'INVALID_INDEX', 'thing.indexes[0]'],
    ['a target index for an action without a target', () => thing({ indexes: [{ target: 'make' }] }), 'INVALID_INDEX', 'thing.indexes[0]', /'make'/],
    ['a target index for a missing action', () => thing({ indexes: [{ target: 'pick_next' }] }), 'INVALID_INDEX', 'thing.indexes[0]', /'pick_next'/],
    ['an identity on a missing attribute', () => thing({ identities: { unique_code: ['code'] } }), 'UNKNOWN_ATTRIBUTE', 'thing.identities.unique_code'],
    ['a timeId default on an integer', () => thing({ attributes: { ...thing().attributes, seq: attr.integer().default(defaults.timeId('x_')) } }), 'INVALID_DEFAULT', 'thing.attributes.seq.default'],
    ['minLength above maxLength', () => thing({ attributes: { ...thing().attributes, code: attr.string({ minLength: 5, maxLength: 2 }) } }), 'INVALID_CONSTRAINT', 'thing.attributes.code'],
    [
      'a count filter naming the written value of a missing attribute',
      () => thing({ actions: { use: update({ validate: [countBelow({ filter: eq(ref('owner_id'), atomicRef('ownr_id')), max: 2, lockOn: atomicRef('owner_id'), message: 'm' })] }) } }),
      'UNKNOWN_ATTRIBUTE',
      'thing.actions.use.validate[0]',
      /atomicRef\('ownr_id'\)/,
    ],
    [
      'a count lock on the written value of a missing attribute',
      () => thing({ actions: { use: update({ validate: [countBelow({ filter: eq(ref('owner_id'), atomicRef('owner_id')), max: 2, lockOn: atomicRef('ownr_id'), message: 'm' })] }) } }),
      'UNKNOWN_ATTRIBUTE',
      'thing.actions.use.validate[0].lockOn',
    ],
    [
      'a count on the written value of an attribute the action does not write',
      () => thing({ actions: { use: update({ validate: [countBelow({ filter: eq(ref('owner_id'), atomicRef('owner_id')), max: 2, lockOn: atomicRef('owner_id'), message: 'm' })] }) } }),
      'INVALID_VALUE',
      'thing.actions.use.validate[0]',
      /atomicRef\('owner_id'\) in a count must name an attribute this action writes/,
    ],
    ['setting an attribute to the written value of a missing one', () => thing({ actions: { use: update({ changes: [setAttribute('label', atomicRef('lable'))] }) } }), 'UNKNOWN_ATTRIBUTE', 'thing.actions.use.changes[0]'],
    ['a belongs_to through a non-uuid attribute', () => thing({ relationships: { owner: rel.belongsTo('owner', { attribute: 'label' }) } }), 'INVALID_RELATIONSHIP', 'thing.relationships.owner.attribute'],
  ];

  it.each(cases)('%s', (_name, spec, code, member, detail) => expectIssue(() => build(spec()), code, member, detail));

  it('a target index: the target sort (atoms by declared order) and the primary key, partial on the filter equalities', () => {
    const model = build(
      thing({
        indexes: [{ target: 'pick_next' }],
        actions: {
          ...thing().actions,
          pick_next: update({
            target: { filter: and(eq(ref('status'), 'new'), isNil(ref('owner_id'))), sort: [{ attribute: 'status', direction: 'desc' }, { attribute: 'inserted_at', direction: 'asc' }] },
            changes: [setAttribute('status', 'used')],
          }),
        },
      }),
    );
    expect(model.resources.find((r) => r.name === 'thing')?.indexes).toEqual([
      {
        name: 'things_pick_next_index',
        on: ['status', 'inserted_at', 'id'],
        using: 'btree',
        keys: [
          { attribute: 'status', descending: true, rank: ['new', 'used'] },
          { attribute: 'inserted_at', descending: false },
          { attribute: 'id', descending: false },
        ],
        where: [{ attribute: 'status', value: 'new' }],
      },
    ]);
  });

  it('two resources with the same name', () => {
    expectIssue(() => build(thing(), [{ ...thing(), table: 'other_things', jsonApi: { routes: [] } }]), 'DUPLICATE_NAME', 'thing.name');
  });

  it('reports every problem at once', () => {
    try {
      build(thing({ actions: { make: create({ accept: ['lable'] }), use: update({ changes: [setAttribute('colour', 1)] }) } }));
      throw new Error('expected a DefinitionError');
    } catch (error) {
      expect((error as DefinitionError).issues.map((i) => i.member)).toEqual(
        expect.arrayContaining(['thing.actions.make.accept', 'thing.actions.use.changes[0]']),
      );
    }
  });
});

describe('resource files', () => {
  const invalidDir = path.resolve(import.meta.dirname, '../fixtures/invalid-resources');

  it('loading a directory names the offending file and member', async () => {
    await expect(loadModel(invalidDir)).rejects.toThrow(/test\/fixtures\/invalid-resources\/widget\.resource\.ts: widget\.actions\.make\.accept .*'lable'/);
  });

  it('the server refuses to start on it (same check, before anything starts)', async () => {
    await expect(loadRegistry({ resourcesDir: invalidDir, schemaFile: 'unused', migrationsDir: 'unused', schemasFile: 'unused' })).rejects.toBeInstanceOf(DefinitionError);
  });
});
