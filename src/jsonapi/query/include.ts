import type { RelationshipModel, ResourceModel } from '../../../resources/model/index.ts';
import type { Registry } from '../../runtime/registry.ts';
import { ApiError } from '../errors.ts';
import { commaList } from './raw.ts';

/** One relationship to load for every record of the level above, and what to load under it. */
export interface IncludeNode {
  readonly relationship: RelationshipModel;
  readonly destination: ResourceModel;
  readonly children: readonly IncludeNode[];
}

/** Allowed: every declared include path and each of its prefixes (`agent.work_items` allows `agent`). */
function allowedPaths(resource: ResourceModel): ReadonlySet<string> {
  const allowed = new Set<string>();
  for (const path of resource.jsonApi?.includes ?? []) {
    const segments = path.split('.');
    for (let i = 1; i <= segments.length; i += 1) allowed.add(segments.slice(0, i).join('.'));
  }
  return allowed;
}

interface MutableNode {
  relationship: RelationshipModel;
  destination: ResourceModel;
  children: Map<string, MutableNode>;
}

const freeze = (nodes: ReadonlyMap<string, MutableNode>): IncludeNode[] =>
  [...nodes.values()].map((n) => ({ relationship: n.relationship, destination: n.destination, children: freeze(n.children) }));

/** `include=agent,agent.work_items`: allow-listed dotted paths, merged into a tree (each path once). */
export function parseInclude(raw: unknown, resource: ResourceModel, registry: Registry): { nodes: IncludeNode[]; errors: ApiError[] } {
  if (raw === undefined) return { nodes: [], errors: [] };
  if (typeof raw !== 'string') {
    return { nodes: [], errors: [new ApiError('INVALID_INCLUDE', { detail: 'include must be a comma-separated list of relationship paths', source: { parameter: 'include' } })] };
  }
  const allowed = allowedPaths(resource);
  const roots = new Map<string, MutableNode>();
  const errors: ApiError[] = [];
  for (const path of commaList(raw)) {
    if (!allowed.has(path)) {
      const list = [...allowed].sort().join(', ');
      errors.push(
        new ApiError('INVALID_INCLUDE', {
          detail: `${path} cannot be included${list === '' ? '' : `; allowed: ${list}`}`,
          source: { parameter: 'include' },
        }),
      );
      continue;
    }
    let level = roots;
    let current = resource;
    for (const segment of path.split('.')) {
      const relationship = current.relationships.find((r) => r.name === segment);
      if (relationship === undefined) throw new Error(`include path ${path} passed the allow-list but ${segment} is unknown`);
      const destination = registry.resource(relationship.destination);
      let node = level.get(segment);
      if (node === undefined) {
        node = { relationship, destination, children: new Map() };
        level.set(segment, node);
      }
      level = node.children;
      current = destination;
    }
  }
  return { nodes: freeze(roots), errors };
}
