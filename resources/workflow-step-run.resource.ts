import {
  actionType,
  actorAttributeEquals,
  actorPresent,
  always,
  attr,
  authorizeIf,
  bypass,
  create,
  defineResource,
  policy,
  rel,
  route,
  timestamps,
  update,
} from './define.ts';

/** One step of a recorded workflow run: status, attempts and duration. Unique per (run, step). */
export const workflowStepRun = defineResource({
  name: 'workflow_step_run',
  domain: 'workflows',
  table: 'workflow_step_runs',
  description: 'The record of one step of a workflow run.',
  attributes: {
    id: attr.uuidPrimaryKey(),
    workflow_run_id: attr.uuid().notNull(),
    step: attr.string({ minLength: 1, maxLength: 255 }).notNull(),
    status: attr
      .atom(['pending', 'running', 'completed', 'failed', 'retrying', 'compensated', 'undone', 'skipped', 'halted', 'cancelled'])
      .notNull()
      .default('pending'),
    attempts: attr.integer({ min: 0 }).notNull().default(0),
    started_at: attr.datetime(),
    finished_at: attr.datetime(),
    duration_ms: attr.float({ min: 0 }),
    result: attr.map(),
    error: attr.map(),
    ...timestamps(),
  },
  identities: { unique_run_step: ['workflow_run_id', 'step'] },
  indexes: [{ on: ['status'] }],
  relationships: { workflow_run: rel.belongsTo('workflow_run', { attribute: 'workflow_run_id', onDelete: 'delete' }) },
  defaults: ['read'],
  actions: {
    record_step: create({
      accept: ['workflow_run_id', 'step', 'status', 'attempts', 'started_at', 'finished_at', 'duration_ms', 'result', 'error'],
    }),
    update_step: update({ accept: ['status', 'attempts', 'started_at', 'finished_at', 'duration_ms', 'result', 'error'] }),
  },
  policies: [
    bypass(actorAttributeEquals('type', 'admin'), [authorizeIf(always())]),
    policy(actionType('read'), [authorizeIf(actorPresent())]),
    policy(actionType(['create', 'update']), [authorizeIf(actorAttributeEquals('type', 'system'))], {
      message: 'Workflow runs are recorded by the server itself',
    }),
  ],
  jsonApi: {
    routes: [route.index('read'), route.get('read'), route.related('workflow_run', 'read')],
    includes: ['workflow_run'],
    page: { default: 50, max: 500 },
  },
});
