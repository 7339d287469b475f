import { jsonApiPrefix, jsonApiType, shownAttributes, type RelationshipModel, type ResourceModel } from '../../../resources/model/index.ts';
import type { Registry } from '../../runtime/registry.ts';

/** A link path with the record id spliced in: `/api/json/agents/` + id + `/work_items`. */
export interface PathTemplate {
  readonly before: string;
  readonly after: string;
}

export interface RelationshipShape {
  readonly model: RelationshipModel;
  readonly name: string;
  readonly destinationType: string;
  /** Present when the resource declares such a route. */
  readonly selfPath?: PathTemplate;
  readonly relatedPath?: PathTemplate;
}

/** Everything serialization needs about a resource, computed once per registry (not per request or record). */
export interface ResourceShape {
  readonly resource: ResourceModel;
  readonly type: string;
  readonly primaryKey: string;
  readonly attributes: readonly string[];
  readonly relationships: readonly RelationshipShape[];
  /** `/api/json/agents/:id` when the resource has a get route. */
  readonly selfPath?: PathTemplate;
}

export const shownAttributeNames = (resource: ResourceModel): string[] => shownAttributes(resource).map((a) => a.name);

const template = (path: string): PathTemplate => {
  const [before = '', after = ''] = path.split(':id');
  return { before, after };
};

function routePath(resource: ResourceModel, kind: string, relationship?: string): PathTemplate | undefined {
  const path = resource.jsonApi?.routes.find((r) => r.kind === kind && (relationship === undefined || r.relationship === relationship))?.path;
  return path === undefined ? undefined : template(path);
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
        name: model.name,
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

/** Primary keys are uuids: safe in a path as they are. */
export const fillId = (path: PathTemplate, id: string): string => path.before + id + path.after;

export { jsonApiPrefix };
