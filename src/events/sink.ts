import { sql, type SQL } from 'drizzle-orm';
import type { JsonValue } from '../../resources/define.ts';
import { shownAttributes, type AttributeModel, type ResourceModel } from '../../resources/model/index.ts';
import type { DomainEvent, EventSink } from '../actions/context.ts';
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

/** Pairs per jsonb_build_object call: PostgreSQL functions take at most 100 arguments. */
const pairsPerCall = 40;

/** A column of the written row as the event's record shows it (datetimes in the API's ISO form). */
function recordValue(written: SQL, attribute: AttributeModel): SQL {
  const column = sql`${written}.${sql.identifier(attribute.name)}`;
  return attribute.spec.kind === 'datetime' ? sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : column;
}

/** The record as an event shows it: its public scalar attributes (maps such as payloads stay out), as jsonb. */
function summaryJson(resource: ResourceModel, written: SQL): SQL {
  const fields = shownAttributes(resource).filter((a) => a.spec.kind !== 'map');
  const calls: SQL[] = [];
  for (let start = 0; start < fields.length; start += pairsPerCall) {
    const pairs = fields.slice(start, start + pairsPerCall).map((a) => sql`${a.name}::text, ${recordValue(written, a)}`);
    calls.push(sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`);
  }
  return calls.length === 0 ? sql`'{}'::jsonb` : sql.join(calls, sql` || `);
}

/**
 * Domain events become telemetry events written by the same statement as the change (so an event is recorded if
 * and only if the change commits), as the server itself records them: no actor's policy applies. Once the change has
 * committed, the publisher announces it to every process.
 */
export function recordingSink(registry: Registry, origin: string, publisher: EventPublisher): EventSink {
  // A model without telemetry_event (a fixture set, say) records nothing but still announces: live feeds work anyway.
  const telemetry = registry.model.resources.find((r) => r.name === 'telemetry_event');
  const table = telemetry === undefined ? undefined : registry.table(telemetry);
  const column = (name: string) => sql.identifier(name);
  return {
    recordWith(event, written) {
      if (table === undefined) return undefined;
      const actor = event.actor === undefined ? null : { type: event.actor['type'] ?? null, id: event.actor['id'] ?? null };
      const key = sql`${written}.${sql.identifier(event.resource.primaryKey.name)}::text`;
      const metadata = sql`jsonb_build_object('resource', ${event.resource.name}::text, 'action', ${event.action.name}::text, 'id', ${key},
        'actor', ${JSON.stringify(actor)}::jsonb, 'record', ${summaryJson(event.resource, written)})`;
      return sql`INSERT INTO ${table} (${column('event_name')}, ${column('measurements')}, ${column('metadata')}, ${column('trace_id')}, ${column('source')}, ${column('processed_at')})
        SELECT ARRAY[${sql.join(event.name.map((part) => sql`${part}::text`), sql`, `)}]::text[], '{}'::jsonb, ${metadata}, ${event.traceId ?? null}::text, ${event.name[0] ?? event.resource.name}::text, now() FROM ${written}`;
    },
    announce(event) {
      publisher.publish({
        event: event.name,
        resource: event.resource.name,
        action: event.action.name,
        id: String(event.record[event.resource.primaryKey.name]),
        trace_id: event.traceId ?? null,
        at: new Date().toISOString(),
        origin,
        attributes: labelsOf(event),
      });
    },
  };
}
