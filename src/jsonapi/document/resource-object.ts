import type { JsonValue } from '../../../resources/define.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import { fillId, type ResourceShape } from './shape.ts';

export interface ResourceIdentifier {
  readonly type: string;
  readonly id: string;
}

/** Related ids known for one record: a to-one id (or null) or to-many ids, by relationship name. */
export type Linkage = ReadonlyMap<string, string | null | readonly string[]>;

export interface ResourceObject {
  readonly type: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly relationships?: Readonly<Record<string, unknown>>;
  readonly links?: { readonly self: string };
}

export const recordId = (shape: ResourceShape, record: ResourceRecord): string => String(record[shape.primaryKey]);

export interface RenderOptions {
  /** Prefix making link paths absolute URLs. */
  readonly origin: string;
  /** The sparse fieldset for this type, if the request gave one. */
  readonly fieldset: ReadonlySet<string> | undefined;
  /** Linkage loaded for included relationships. */
  readonly linkage: Linkage | undefined;
  /** To-one linkage straight from the foreign key: safe only when the destination's rows are all visible. */
  readonly foreignKeyLinkage: (relationship: string) => boolean;
}

/** A resource object: type, id, the shown attributes, relationships (links; linkage when known), links.self. */
export function resourceObject(shape: ResourceShape, record: ResourceRecord, options: RenderOptions): ResourceObject {
  const id = recordId(shape, record);
  const attributes: Record<string, JsonValue> = {};
  for (const name of shape.attributes) {
    if (options.fieldset === undefined || options.fieldset.has(name)) attributes[name] = record[name] ?? null;
  }
  const relationships: Record<string, unknown> = {};
  for (const relationship of shape.relationships) {
    const name = relationship.model.name;
    if (options.fieldset !== undefined && !options.fieldset.has(name)) continue;
    const member: Record<string, unknown> = {};
    if (relationship.selfPath !== undefined || relationship.relatedPath !== undefined) {
      member['links'] = {
        ...(relationship.selfPath === undefined ? {} : { self: options.origin + fillId(relationship.selfPath, id) }),
        ...(relationship.relatedPath === undefined ? {} : { related: options.origin + fillId(relationship.relatedPath, id) }),
      };
    }
    const known = options.linkage?.get(name);
    if (known !== undefined) {
      member['data'] = identifiers(relationship.destinationType, known);
    } else if (relationship.model.cardinality === 'one' && options.foreignKeyLinkage(name)) {
      const key = record[relationship.model.sourceAttribute];
      member['data'] = typeof key === 'string' ? { type: relationship.destinationType, id: key } : null;
    }
    if (Object.keys(member).length > 0) relationships[name] = member;
  }
  return {
    type: shape.type,
    id,
    attributes,
    ...(Object.keys(relationships).length === 0 ? {} : { relationships }),
    ...(shape.selfPath === undefined ? {} : { links: { self: options.origin + fillId(shape.selfPath, id) } }),
  };
}

function identifiers(type: string, ids: string | null | readonly string[]): ResourceIdentifier | null | ResourceIdentifier[] {
  if (ids === null) return null;
  if (typeof ids === 'string') return { type, id: ids };
  return ids.map((id) => ({ type, id }));
}
