import { createHash } from 'node:crypto';
import type { Attributes, ResourceInfo, ScopeInfo } from '../model/common.ts';
import { attributesJson, boundedText, jsonText, type JsonSafe } from './json-safe.ts';

/**
 * One `telemetry_events` row, ready for the bulk INSERT: text already safe for PostgreSQL, jsonb columns already
 * serialized (the text is what is sent and what a dedup hash covers). `processed_at` is the database's now().
 */
export interface TelemetryRow {
  readonly eventName: readonly string[];
  readonly measurements: string;
  readonly metadata: string;
  readonly traceId: string | null;
  readonly spanId: string | null;
  readonly source: string | null;
  /** The idempotency key (`ON CONFLICT (dedup_key) DO NOTHING`); null for rows that are never deduplicated. */
  readonly dedupKey: string | null;
}

/** telemetry_events CHECKs `char_length(...) <= 255` on source, ids and dedup_key; the resource says so of event_name. */
export const maxTextLength = 255;

/** `service.name` when no resource says it (OpenTelemetry semantic conventions: "unknown_service"). */
export const unknownService = 'unknown_service';

/** The resource's `service.name` (a string attribute), which becomes the row's `source`. */
export function serviceName(attributes: Attributes): string {
  for (const { key, value } of attributes) {
    if (key === 'service.name' && value.case === 'stringValue' && value.value !== '') return value.value;
  }
  return unknownService;
}

const resourceJson = (resource: ResourceInfo): Record<string, JsonSafe> => ({
  attributes: attributesJson(resource.attributes),
  dropped_attributes_count: resource.droppedAttributesCount,
  schema_url: resource.schemaUrl,
});

const scopeJson = (scope: ScopeInfo): Record<string, JsonSafe> => ({
  name: scope.name,
  version: scope.version,
  attributes: attributesJson(scope.attributes),
  dropped_attributes_count: scope.droppedAttributesCount,
  schema_url: scope.schemaUrl,
});

/**
 * Per-request memo of what items share: a resource or scope is serialized once, not once per span (items reference
 * the same ResourceInfo/ScopeInfo objects). One instance per batch, dropped with it.
 */
export class RowContext {
  readonly #resources = new Map<ResourceInfo, { readonly json: string; readonly source: string }>();
  readonly #scopes = new Map<ScopeInfo, string>();

  #resource(resource: ResourceInfo): { readonly json: string; readonly source: string } {
    let entry = this.#resources.get(resource);
    if (entry === undefined) {
      entry = {
        json: jsonText(resourceJson(resource)),
        source: boundedText(serviceName(resource.attributes), maxTextLength),
      };
      this.#resources.set(resource, entry);
    }
    return entry;
  }

  #scope(scope: ScopeInfo): string {
    let json = this.#scopes.get(scope);
    if (json === undefined) {
      json = jsonText(scopeJson(scope));
      this.#scopes.set(scope, json);
    }
    return json;
  }

  /** The row's `source`: the resource's service.name. */
  source(resource: ResourceInfo): string {
    return this.#resource(resource).source;
  }

  /** `metadata` = the item's own members, then `resource` and `scope` (spliced in as memoized JSON text). */
  metadata(own: Readonly<Record<string, JsonSafe>>, resource: ResourceInfo, scope: ScopeInfo): string {
    const text = jsonText(own);
    const members = text.length > 2 ? `${text.slice(1, -1)},` : '';
    return `{${members}"resource":${this.#resource(resource).json},"scope":${this.#scope(scope)}}`;
  }
}

/** A content key: identical rows (a retried request) get the same key; any difference gives another. */
export function contentKey(prefix: string, row: Omit<TelemetryRow, 'dedupKey'>): string {
  const hash = createHash('sha256')
    .update(row.eventName.join('\u0001'))
    .update('\u0002')
    .update(row.source ?? '')
    .update('\u0002')
    .update(row.traceId ?? '')
    .update('\u0002')
    .update(row.spanId ?? '')
    .update('\u0002')
    .update(row.measurements)
    .update('\u0002')
    .update(row.metadata)
    .digest('base64url');
  return `${prefix}:${hash}`;
}
