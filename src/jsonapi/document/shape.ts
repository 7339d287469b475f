import { jsonApiPrefix, jsonApiType, shownAttributes, type RelationshipModel, type ResourceModel } from '../../../resources/model/index.ts';
import type { Registry } from '../../runtime/registry.ts';

export interface RelationshipShape {
  readonly model: RelationshipModel;
  readonly destinationType: string;
  /** Path templates (`:id` replaced per record), present when the resource declares such a route. */
  readonly selfPath?: string;
  readonly relatedPath?: string;
}

/** Everything serialization needs about a resource, computed once per registry (not per request). */
export interface ResourceShape {
  readonly resource: ResourceModel;
  readonly type: string;
  readonly primaryKey: string;
  readonly attributes: readonly string[];
  readonly relationships: readonly RelationshipShape[];
  /** `/api/json/agents/:id` when the resource has a get route. */
  readonly selfPath?: string;
}

export const shownAttributeNames = (resource: ResourceModel): string[] => shownAttributes(resource).map((a) => a.name);

function routePath(resource: ResourceModel, kind: string, relationship?: string): string | undefined {
  return resource.jsonApi?.routes.find((r) => r.kind === kind && (relationship === undefined || r.relationship === relationship))?.path;
}

const shapes = new WeakMap<Registry, Map<string, ResourceShape>>();

export function shapeOf(registry: Registry, resource: ResourceModel): ResourceShape {
  let byName = shapes.get(registry);
  if (byName === undefined) {
    byName = new Map();
    shapes.set(registry, byName);
  }
  const known = byName.get(resource.name);
  if (known !== undefined) return known;
  const selfPath = routePath(resource, 'get');
  const shape: ResourceShape = {
    resource,
    type: jsonApiType(resource),
    primaryKey: resource.primaryKey.name,
    attributes: shownAttributeNames(resource),
    relationships: resource.relationships.map((model) => {
      const selfLink = routePath(resource, 'relationship', model.name);
      const related = routePath(resource, 'related', model.name);
      return {
        model,
        destinationType: jsonApiType(registry.resource(model.destination)),
        ...(selfLink === undefined ? {} : { selfPath: selfLink }),
        ...(related === undefined ? {} : { relatedPath: related }),
      };
    }),
    ...(selfPath === undefined ? {} : { selfPath }),
  };
  byName.set(resource.name, shape);
  return shape;
}

/** `/api/json/agents/:id` -> `/api/json/agents/<id>` (ids are uuids, safe in a path). */
export const fillId = (template: string, id: string): string => template.replace(':id', encodeURIComponent(id));

export { jsonApiPrefix };
