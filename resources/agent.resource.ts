import {
  action,
  actionType,
  actor,
  actorAttributeEquals,
  actorPresent,
  ago,
  always,
  context,
  contextEquals,
  attr,
  authorizeIf,
  bypass,
  create,
  defaults,
  defineResource,
  eq,
  expr,
  generateToken,
  lt,
  now,
  policy,
  ref,
  rel,
  route,
  setAttribute,
  timestamps,
  update,
} from './define.ts';

/** An autonomous agent that registers, heartbeats and claims work (seed Phase 2; origin-system.md §3.2). */
export const agent = defineResource({
  name: 'agent',
  domain: 'coordination',
  table: 'agents',
  description: 'An autonomous agent that registers, sends heartbeats and claims work items.',
  attributes: {
    id: attr.uuidPrimaryKey(),
    agent_id: attr
      .string({ minLength: 1, maxLength: 255 })
      .notNull()
      .default(defaults.timeId('agent_'))
      .describe('Stable external id; generated as agent_<19 digits> when not given.'),
    status: attr
      .atom(['active', 'idle', 'error', 'offline'])
      .notNull()
      .default('active')
      // Liveness: no heartbeat for 3 x AGENT_HEARTBEAT_INTERVAL reads as offline, in every read.
      .readAs({ when: lt(ref('last_heartbeat'), ago(context('agent_offline_after_ms'))), value: 'offline' }),
    capabilities: attr.array(attr.string({ minLength: 1, maxLength: 255 })).default([]),
    metadata: attr.map().default({}),
    last_heartbeat: attr.datetime().generated(),
    token_hash: attr.string().private().generated().describe('SHA-256 of the bearer token; the token itself is shown once.'),
    ...timestamps(),
  },
  identities: { unique_agent_id: ['agent_id'], unique_token_hash: ['token_hash'] },
  authentication: { tokenAttribute: 'token_hash', actorType: 'agent', actorAttributes: ['agent_id'] },
  indexes: [{ on: ['status'] }, { on: ['last_heartbeat'] }],
  relationships: {
    work_items: rel.hasMany('work_item', { destinationAttribute: 'claimed_by' }),
  },
  defaults: ['read', 'update', 'destroy'],
  defaultAccept: ['status', 'capabilities', 'metadata'],
  actions: {
    register: create({
      accept: ['agent_id', 'capabilities', 'metadata'],
      changes: [setAttribute('status', 'active'), setAttribute('last_heartbeat', now()), generateToken('token_hash', 'ssa_')],
      description: 'Registers an agent; the response meta.token is its bearer token, shown only this once.',
      notify: { event: ['coordination', 'agent', 'registered'] },
    }),
    rotate_token: update({ changes: [generateToken('token_hash', 'ssa_')], description: 'Issues a new token (meta.token); the old one stops working.' }),
    revoke_token: update({ changes: [setAttribute('token_hash', null)], description: 'The agent can no longer authenticate until a token is rotated in.' }),
    heartbeat: update({
      changes: [setAttribute('last_heartbeat', now()), setAttribute('status', 'active')],
    }),
    update_status: update({ accept: ['status', 'metadata'], require: ['status'] }),
  },
  policies: [
    bypass(actorAttributeEquals('type', 'admin'), [authorizeIf(always())]),
    policy(actionType('read'), [authorizeIf(actorPresent())]),
    policy(action('register'), [authorizeIf(contextEquals('agent_registration', 'open'))], {
      description: 'AGENT_REGISTRATION=open lets anyone register; with admin, only the admin (bypass) may.',
      message: 'Agent registration is closed (AGENT_REGISTRATION=admin); ask an admin to register you',
    }),
    policy(action(['heartbeat', 'update_status']), [authorizeIf(expr(eq(ref('id'), actor('id'))))], {
      message: 'Only the agent itself may do this',
    }),
  ],
  jsonApi: {
    routes: [
      route.index('read'),
      route.get('read'),
      route.post('register', { path: '/register' }),
      route.patch('update_status', { name: 'updateAgentStatus' }),
      route.patch('heartbeat', { path: '/:id/heartbeat' }),
      route.delete('destroy'),
      route.patch('rotate_token', { path: '/:id/rotate_token', name: 'rotateAgentToken' }),
      route.patch('revoke_token', { path: '/:id/revoke_token', name: 'revokeAgentToken' }),
      route.related('work_items', 'read'),
    ],
    includes: ['work_items', 'work_items.agent'],
    page: { default: 50, max: 500 },
  },
});
