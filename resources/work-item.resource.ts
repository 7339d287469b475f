import {
  action,
  actionType,
  actor,
  actorAttributeEquals,
  actorPresent,
  always,
  attr,
  attributeEquals,
  and,
  arg,
  atomicRef,
  attributeIn,
  authorizeIf,
  bypass,
  context,
  countBelow,
  create,
  defaults,
  defineResource,
  eq,
  expr,
  forbidIf,
  isIn,
  isNil,
  or,
  now,
  policy,
  ref,
  rel,
  route,
  setAttribute,
  timestamps,
  update,
} from './define.ts';

// The shape of `payload`: codegen turns it into the JSON Schema that validates and documents it.
/** What a submitter says about the work: free-form; the members the server reads are typed. */
export interface WorkPayload {
  /**
   * Velocity points credited when the work completes (5 when absent).
   * @asType integer
   * @minimum 0
   */
  velocity_points?: number;
  [member: string]: unknown;
}

/** An agent claims as itself (a claimed_by in the body is overridden); an admin names the agent. */
const claimChanges = [
  setAttribute('claimed_by', actor('id'), { when: actorAttributeEquals('type', 'agent') }),
  setAttribute('status', 'claimed'),
  setAttribute('claimed_at', now()),
];

/**
 * MAX_CONCURRENT_WORK: an agent holding that many claimed or in-progress items is given nothing more (409), whether it
 * claims itself or an admin assigns it (counted for the claim's new claimed_by, under that agent's lock).
 */
const holdsLessThanTheLimit = countBelow({
  filter: and(eq(ref('claimed_by'), atomicRef('claimed_by')), isIn(ref('status'), ['claimed', 'in_progress'])),
  max: context('max_concurrent_work'),
  lockOn: atomicRef('claimed_by'),
  message: 'Agent already holds MAX_CONCURRENT_WORK claimed or in-progress work items',
});

/** A unit of work agents claim and complete; every transition is one conditional UPDATE. */
export const workItem = defineResource({
  name: 'work_item',
  domain: 'coordination',
  table: 'work_items',
  description: 'A unit of work: submitted, claimed by one agent, started, then completed or failed.',
  attributes: {
    id: attr.uuidPrimaryKey(),
    work_item_id: attr
      .string()
      .notNull()
      .default(defaults.timeId('work_'))
      .generated()
      .describe('Stable external id, work_<19 digits>, unique across concurrent submissions.'),
    work_type: attr.string({ minLength: 1, maxLength: 255 }).notNull(),
    description: attr.text(),
    priority: attr.atom(['low', 'medium', 'high', 'critical']).notNull().default('medium'),
    team: attr.string({ minLength: 1, maxLength: 255 }).describe('The team the work belongs to (the original\'s `team`; metrics label by it).'),
    status: attr.atom(['pending', 'claimed', 'in_progress', 'completed', 'failed']).notNull().default('pending').generated(),
    claimed_by: attr.uuid(),
    claimed_at: attr.datetime().generated(),
    completed_at: attr.datetime().generated(),
    payload: attr.map({ shape: 'WorkPayload' }).default({}),
    result: attr.map().default({}),
    ...timestamps(),
  },
  identities: { unique_work_item_id: ['work_item_id'] },
  indexes: [
    { on: ['status'] },
    { on: ['work_type'] },
    { on: ['priority'] },
    { on: ['team'] },
    { on: ['claimed_by'] },
    { on: ['inserted_at'] },
    // claim_next reads the first entry (highest priority, oldest) instead of sorting every pending item.
    { target: 'claim_next' },
  ],
  relationships: {
    agent: rel.belongsTo('agent', { attribute: 'claimed_by', onDelete: 'nilify' }),
  },
  defaults: ['read', 'destroy'],
  actions: {
    submit_work: create({
      accept: ['work_type', 'description', 'priority', 'team', 'payload'],
      changes: [setAttribute('status', 'pending')],
      notify: { event: ['coordination', 'work', 'submitted'] },
    }),
    claim_work: update({
      accept: ['claimed_by'],
      require: ['claimed_by'],
      validate: [attributeEquals('status', 'pending', 'Work item must be pending to be claimed'), holdsLessThanTheLimit],
      changes: claimChanges,
      notify: { event: ['coordination', 'work', 'claimed'] },
    }),
    claim_next: update({
      description:
        'Claims the pending item of highest priority, oldest first, among the given work types / capabilities (FOR UPDATE SKIP LOCKED).',
      arguments: {
        work_types: attr.array(attr.string({ minLength: 1, maxLength: 255 })),
        capabilities: attr.array(attr.string({ minLength: 1, maxLength: 255 })),
      },
      target: {
        filter: and(
          eq(ref('status'), 'pending'),
          or(isNil(arg('work_types')), isIn(ref('work_type'), [arg('work_types')])),
          or(isNil(arg('capabilities')), isIn(ref('work_type'), [arg('capabilities')])),
        ),
        sort: [
          { attribute: 'priority', direction: 'desc' },
          { attribute: 'inserted_at', direction: 'asc' },
        ],
      },
      validate: [holdsLessThanTheLimit],
      changes: claimChanges,
      notify: { event: ['coordination', 'work', 'claimed'] },
    }),
    start_work: update({
      validate: [attributeEquals('status', 'claimed', 'Work item must be claimed to start')],
      changes: [setAttribute('status', 'in_progress')],
      notify: { event: ['coordination', 'work', 'started'] },
    }),
    complete_work: update({
      accept: ['result'],
      validate: [attributeEquals('status', 'in_progress', 'Work item must be in progress to complete')],
      changes: [setAttribute('status', 'completed'), setAttribute('completed_at', now())],
      notify: { event: ['coordination', 'work', 'completed'] },
    }),
    fail_work: update({
      accept: ['result'],
      validate: [attributeIn('status', ['claimed', 'in_progress'], 'Work item must be claimed or in progress to fail')],
      changes: [setAttribute('status', 'failed'), setAttribute('completed_at', now())],
      notify: { event: ['coordination', 'work', 'failed'] },
    }),
  },
  policies: [
    // The admin may do anything but claim-next, which claims as the calling agent.
    bypass(actorAttributeEquals('type', 'admin'), [forbidIf(action('claim_next')), authorizeIf(always())]),
    policy(actionType('read'), [authorizeIf(actorPresent())]),
    policy(action(['submit_work', 'claim_work', 'claim_next']), [authorizeIf(actorAttributeEquals('type', 'agent'))], {
      message: 'Only agents may submit and claim work',
    }),
    policy(action(['start_work', 'complete_work', 'fail_work']), [authorizeIf(expr(eq(ref('claimed_by'), actor('id'))))], {
      message: 'Only the claiming agent may do this',
    }),
  ],
  jsonApi: {
    routes: [
      route.index('read'),
      route.get('read'),
      route.post('submit_work', { name: 'submitWorkItem' }),
      route.patch('claim_work', { path: '/:id/claim', name: 'claimWorkItem' }),
      route.patch('start_work', { path: '/:id/start', name: 'startWorkItem' }),
      route.patch('complete_work', { path: '/:id/complete', name: 'completeWorkItem' }),
      route.patch('fail_work', { path: '/:id/fail', name: 'failWorkItem' }),
      route.action('claim_next', { path: '/claim_next', name: 'claimNextWorkItem' }),
      route.delete('destroy'),
      route.related('agent', 'read'),
      route.relationship('agent', 'read'),
      route.patchRelationship('agent', 'claim_work'),
    ],
    includes: ['agent', 'agent.work_items'],
    page: { default: 50, max: 500 },
  },
});
