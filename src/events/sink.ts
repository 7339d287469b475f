import type { JsonValue } from '../../resources/define.ts';
import { shownAttributes } from '../../resources/model/index.ts';
import type { DomainEvent, EventSink } from '../actions/context.ts';
import { runAction } from '../actions/run-action.ts';
import type { EventPublisher } from './publisher.ts';
import type { Registry } from '../runtime/registry.ts';

/** The PostgreSQL channel every server process LISTENs on. */
export const eventChannel = 'ss_events';

/** What travels over NOTIFY (kept small: the 8000-byte payload limit), and what live feeds receive. */
export interface BusEvent {
  readonly event: readonly string[];
  readonly resource: string;
  readonly action: string;
  readonly id: string;
  readonly trace_id: string | null;
  readonly at: string;
  /** The server process that made the change (metrics count their own changes once, not every process's). */
  readonly origin: string | null;
  /** The record's small attributes (atoms, numbers, short strings): enough for labels without a read. */
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

/** NOTIFY payloads must stay under 8000 bytes; an event whose labels would not fit travels without them. */
const maxLabelBytes = 4000;
const shortString = 255;

/** The attributes a bus event carries: bounded in size by their definition, so the payload stays small. */
function labelsOf(event: DomainEvent): Record<string, JsonValue> {
  // Public attributes, foreign keys included (who claimed it); private ones (token hashes) never travel.
  const small = event.resource.attributes.filter((a) => {
    const spec = a.spec;
    if (!spec.public || spec.primaryKey) return false;
    if (spec.kind === 'string') return (spec.maxLength !== undefined && spec.maxLength <= shortString) || spec.default?.kind === 'time_id';
    return ['atom', 'integer', 'float', 'boolean', 'uuid', 'datetime'].includes(spec.kind);
  });
  const labels = Object.fromEntries(small.map((a) => [a.name, event.record[a.name] ?? null]));
  return Buffer.byteLength(JSON.stringify(labels)) <= maxLabelBytes ? labels : {};
}

/** The record as an event shows it: its public scalar attributes (maps such as payloads stay out). */
function summary(event: DomainEvent): Record<string, JsonValue> {
  const fields = shownAttributes(event.resource).filter((a) => a.spec.kind !== 'map');
  return Object.fromEntries(fields.map((a) => [a.name, event.record[a.name] ?? null]));
}

/**
 * Domain events become telemetry events (through the `record_event` action, as the system actor) in the transaction
 * of the write that caused them, so an event is recorded if and only if the change commits; once it has, the
 * publisher announces it to every process.
 */
export function recordingSink(registry: Registry, context: Readonly<Record<string, JsonValue>>, origin: string, publisher: EventPublisher): EventSink {
  // A model without telemetry_event (a fixture set, say) still gets the NOTIFY: live feeds work on any model.
  const telemetry = registry.model.resources.find((r) => r.name === 'telemetry_event');
  const record = telemetry?.actions.find((a) => a.name === 'record_event');
  return async (db, event) => {
    const id = String(event.record[event.resource.primaryKey.name]);
    const actor = event.actor === undefined ? null : { type: event.actor['type'] ?? null, id: event.actor['id'] ?? null };
    if (telemetry !== undefined && record !== undefined) await runAction(
      { registry, db, actor: { type: 'system' }, context },
      {
        resource: telemetry,
        action: record,
        input: {
          event_name: [...event.name],
          measurements: {},
          metadata: { resource: event.resource.name, action: event.action.name, id, actor, record: summary(event) },
          trace_id: event.traceId ?? null,
          source: event.name[0] ?? event.resource.name,
        },
      },
    );
    const announcement: BusEvent = {
      event: event.name,
      resource: event.resource.name,
      action: event.action.name,
      id,
      trace_id: event.traceId ?? null,
      at: new Date().toISOString(),
      origin,
      attributes: labelsOf(event),
    };
    return () => publisher.publish(announcement);
  };
}
