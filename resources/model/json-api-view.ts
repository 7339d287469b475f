import type { AttributeModel, ResourceModel } from './types.ts';

/** belongs_to foreign keys are rendered as relationships, not attributes (JSON:API: such keys SHOULD NOT be attributes). */
export function foreignKeyAttributes(resource: ResourceModel): ReadonlySet<string> {
  return new Set(resource.relationships.filter((r) => r.kind === 'belongs_to').map((r) => r.sourceAttribute));
}

/** The attributes a JSON:API resource object shows: public ones, minus the primary key (it is `id`) and foreign keys. */
export function shownAttributes(resource: ResourceModel): readonly AttributeModel[] {
  const keys = foreignKeyAttributes(resource);
  return resource.attributes.filter((a) => a.spec.public && !a.spec.primaryKey && !keys.has(a.name));
}

/**
 * The attributes a JSON:API read needs from a row: the primary key, the shown attributes and the keys its
 * relationships are followed by. Anything else (private attributes such as a token's hash) is never selected.
 */
export function viewedAttributeNames(resource: ResourceModel): ReadonlySet<string> {
  return new Set([resource.primaryKey.name, ...shownAttributes(resource).map((a) => a.name), ...resource.relationships.map((r) => r.sourceAttribute)]);
}

/** The JSON:API type of a resource (its name unless the resource says otherwise). */
export const jsonApiType = (resource: ResourceModel): string => resource.jsonApi?.type ?? resource.name;
