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
  /** Relationships whose to-one linkage may come straight from the foreign key (all destination rows visible). */
  readonly foreignKeyLinkage: ReadonlySet<string>;
}

/**
 * Makes resource objects of one type for one request: what depends only on the type and the request (fields,
 * link prefixes, which linkage is safe) is worked out once, not per record.
 */
export function resourceRenderer(shape: ResourceShape, options: RenderOptions): (record: ResourceRecord, linkage: Linkage | undefined) => ResourceObject {
  const { origin, fieldset } = options;
  const attributes = fieldset === undefined ? shape.attributes : shape.attributes.filter((name) => fieldset.has(name));
  const relationships = (fieldset === undefined ? shape.relationships : shape.relationships.filter((r) => fieldset.has(r.name))).map((r) => ({
    ...r,
    selfBefore: r.selfPath === undefined ? undefined : origin + r.selfPath.before,
    relatedBefore: r.relatedPath === undefined ? undefined : origin + r.relatedPath.before,
    fromForeignKey: r.model.cardinality === 'one' && options.foreignKeyLinkage.has(r.name),
  }));
  const self = shape.selfPath === undefined ? undefined : { ...shape.selfPath, before: origin + shape.selfPath.before };
  return (record, linkage) => {
    const id = String(record[shape.primaryKey]);
    const values: Record<string, JsonValue> = {};
    for (const name of attributes) values[name] = record[name] ?? null;
    const members: Record<string, unknown> = {};
    let any = false;
    for (const r of relationships) {
      const member: { links?: Record<string, string>; data?: unknown } = {};
      if (r.selfBefore !== undefined || r.relatedBefore !== undefined) {
        const links: Record<string, string> = {};
        if (r.selfBefore !== undefined && r.selfPath !== undefined) links['self'] = r.selfBefore + id + r.selfPath.after;
        if (r.relatedBefore !== undefined && r.relatedPath !== undefined) links['related'] = r.relatedBefore + id + r.relatedPath.after;
        member.links = links;
      }
      const known = linkage?.get(r.name);
      if (known !== undefined) member.data = identifiers(r.destinationType, known);
      else if (r.fromForeignKey) {
        const key = record[r.model.sourceAttribute];
        member.data = typeof key === 'string' ? { type: r.destinationType, id: key } : null;
      }
      if (member.links !== undefined || 'data' in member) {
        members[r.name] = member;
        any = true;
      }
    }
    const object: { type: string; id: string; attributes: Record<string, JsonValue>; relationships?: Record<string, unknown>; links?: { self: string } } = {
      type: shape.type,
      id,
      attributes: values,
    };
    if (any) object.relationships = members;
    if (self !== undefined) object.links = { self: fillId(self, id) };
    return object;
  };
}

function identifiers(type: string, ids: string | null | readonly string[]): ResourceIdentifier | null | ResourceIdentifier[] {
  if (ids === null) return null;
  if (typeof ids === 'string') return { type, id: ids };
  return ids.map((id) => ({ type, id }));
}
