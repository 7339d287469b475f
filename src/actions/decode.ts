import type { JsonValue } from '../../resources/define.ts';
import { byKind, type KindTable, type ResourceModel } from '../../resources/model/index.ts';
import type { ResourceRecord } from './context.ts';

type Decode = (value: unknown) => JsonValue;

/** PostgreSQL's `2026-12-03 15:57:51.1234+00` (session TimeZone=UTC) -> `2026-12-03T15:57:51.123400Z`. */
export function isoTimestamp(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:Z|\+00(?::?00)?)$/.exec(text);
  if (match === null) return new Date(text).toISOString();
  const [, date, time, fraction = ''] = match;
  return `${date}T${time}.${fraction.padEnd(6, '0')}Z`;
}

const asJson: Decode = (value) => (value === undefined ? null : (value as JsonValue));

/** How each kind comes back from node-postgres (via drizzle) into the API's JSON shape. */
const decoders: KindTable<Decode> = {
  uuid: () => asJson,
  string: () => asJson,
  text: () => asJson,
  integer: () => asJson,
  float: () => asJson,
  boolean: () => asJson,
  atom: () => asJson,
  datetime: () => (value) => (typeof value === 'string' ? isoTimestamp(value) : value instanceof Date ? value.toISOString() : null),
  map: () => asJson,
  array: (spec) => {
    const item = byKind(decoders, spec.items);
    return (value) => (Array.isArray(value) ? value.map(item) : null);
  },
};

/** Per resource, each attribute's decoder for a value that is not null. */
const plans = new WeakMap<ResourceModel, ReadonlyMap<string, Decode>>();

function planFor(resource: ResourceModel): ReadonlyMap<string, Decode> {
  let plan = plans.get(resource);
  if (plan === undefined) {
    // Only datetimes (alone or in arrays) change form; every other value passes through as node-postgres gave it.
    const needsWork = (spec: ResourceModel['attributes'][number]['spec']): boolean => spec.kind === 'datetime' || (spec.kind === 'array' && spec.items.kind === 'datetime');
    plan = new Map(resource.attributes.map((a) => [a.name, needsWork(a.spec) ? byKind(decoders, a.spec) : asJson]));
    plans.set(resource, plan);
  }
  return plan;
}

/** One attribute's value from node-postgres (after drizzle's column decoding), not null, in its JSON form. */
export const attributeDecoder = (resource: ResourceModel, name: string): Decode => planFor(resource).get(name) ?? asJson;

/**
 * Turns a row from drizzle into a record: the resource's attributes the row has (JSON:API reads select only what
 * they show), each in its JSON form. An attribute the row lacks is absent, never a made-up null.
 */
export function decodeRow(resource: ResourceModel, row: Readonly<Record<string, unknown>>): ResourceRecord {
  const record: Record<string, JsonValue> = {};
  for (const [name, decode] of planFor(resource)) {
    if (!(name in row)) continue;
    const value = row[name];
    record[name] = value === null || value === undefined ? null : decode(value);
  }
  return record;
}
