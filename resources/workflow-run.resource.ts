import {
  actionType,
  actorAttributeEquals,
  actorPresent,
  always,
  attr,
  attributeEquals,
  authorizeIf,
  bypass,
  create,
  defaults,
  defineResource,
  now,
  policy,
  rel,
  route,
  setAttribute,
  timestamps,
  update,
} from './define.ts';

/** One recorded run of a reactor (the seed's Workflows domain). Written by the orchestrator, read through the API. */
export const workflowRun = defineResource({
  name: 'workflow_run',
  domain: 'workflows',
  table: 'workflow_runs',
  description: 'A recorded reactor run: its inputs, status, result or error, and trace id.',
  attributes: {
    id: attr.uuidPrimaryKey(),
    reactor: attr.string({ minLength: 1, maxLength: 255 }).notNull(),
    status: attr.atom(['running', 'completed', 'failed', 'halted', 'cancelled', 'interrupted']).notNull().default('running'),
    inputs: attr.map().notNull().default({}),
    result: attr.map(),
    error: attr.map(),
    trace_id: attr.string({ maxLength: 64 }),
    started_at: attr.datetime().notNull().default(defaults.now()).generated(),
    finished_at: attr.datetime().generated(),
    alive_at: attr
      .datetime()
      .generated()
      .describe('Last sign of life of the process running it (a heartbeat while running): a run silent for long was cut off.'),
    ...timestamps(),
  },
  indexes: [{ on: ['status'] }, { on: ['reactor'] }, { on: ['trace_id'] }, { on: ['started_at'] }],
  relationships: { steps: rel.hasMany('workflow_step_run', { destinationAttribute: 'workflow_run_id' }) },
  defaults: ['read'],
  actions: {
    start_run: create({ accept: ['reactor', 'inputs', 'trace_id'], changes: [setAttribute('status', 'running'), setAttribute('alive_at', now())] }),
    finish_run: update({
      accept: ['status', 'result', 'error'],
      require: ['status'],
      validate: [attributeEquals('status', 'running', 'Only a running workflow run can finish')],
      changes: [setAttribute('finished_at', now())],
    }),
    resume_run: update({
      validate: [attributeEquals('status', 'halted', 'Only a halted workflow run can resume')],
      changes: [setAttribute('status', 'running'), setAttribute('finished_at', null), setAttribute('alive_at', now())],
    }),
    keep_alive: update({
      description: "The running process's heartbeat: its runs are not taken for cut off.",
      validate: [attributeEquals('status', 'running', 'Only a running workflow run is kept alive')],
      changes: [setAttribute('alive_at', now())],
    }),
  },
  policies: [
    bypass(actorAttributeEquals('type', 'admin'), [authorizeIf(always())]),
    policy(actionType('read'), [authorizeIf(actorPresent())]),
    policy(actionType(['create', 'update']), [authorizeIf(actorAttributeEquals('type', 'system'))], {
      message: 'Workflow runs are recorded by the server itself',
    }),
  ],
  jsonApi: {
    routes: [route.index('read'), route.get('read'), route.related('steps', 'read')],
    includes: ['steps'],
    page: { default: 50, max: 500 },
  },
});
