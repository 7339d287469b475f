import {
  actionType,
  actorAttributeEquals,
  actorPresent,
  action,
  always,
  attr,
  authorizeIf,
  bypass,
  create,
  defineResource,
  now,
  policy,
  route,
  setAttribute,
  timestamps,
} from './define.ts';

/**
 * One telemetry event: the server's own domain events (written by the statement of the change that caused them, see
 * src/events/sink.ts), events agents and collectors record, and received OTLP spans, data points and log records.
 */
export const telemetryEvent = defineResource({
  name: 'telemetry_event',
  domain: 'telemetry',
  table: 'telemetry_events',
  description: 'A telemetry event with a hierarchical name, measurements and metadata.',
  attributes: {
    id: attr.uuidPrimaryKey(),
    event_name: attr
      .array(attr.string({ minLength: 1, maxLength: 255 }))
      .notNull()
      .describe('Hierarchical name, e.g. ["coordination", "work", "claimed"].'),
    measurements: attr.map().default({}),
    metadata: attr.map().default({}),
    trace_id: attr.string({ maxLength: 255 }),
    span_id: attr.string({ maxLength: 255 }),
    source: attr.string({ maxLength: 255 }),
    processed_at: attr.datetime().generated(),
    dedup_key: attr
      .string({ maxLength: 255 })
      .private()
      .generated()
      .describe('Idempotency key of ingested telemetry (an OTLP span: trace id + span id); NULL for other events.'),
    ...timestamps(),
  },
  identities: { unique_dedup_key: ['dedup_key'] },
  indexes: [{ on: ['event_name'], using: 'gin' }, { on: ['trace_id'] }, { on: ['source'] }, { on: ['processed_at'] }],
  defaults: ['read'],
  actions: {
    record_event: create({
      accept: ['event_name', 'measurements', 'metadata', 'trace_id', 'span_id', 'source'],
      changes: [setAttribute('processed_at', now())],
    }),
  },
  policies: [
    bypass(actorAttributeEquals('type', 'admin'), [authorizeIf(always())]),
    policy(actionType('read'), [authorizeIf(actorPresent())]),
    policy(action('record_event'), [
      authorizeIf(actorAttributeEquals('type', 'agent')),
      authorizeIf(actorAttributeEquals('type', 'collector')),
    ]),
  ],
  jsonApi: {
    routes: [route.index('read'), route.get('read'), route.post('record_event', { name: 'recordTelemetryEvent' })],
    page: { default: 50, max: 500 },
  },
});
