import { inArray, sql } from 'drizzle-orm';
import { pageSizes, type ResourceModel } from '../../../resources/model/index.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import type { OperationContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { IncludeNode } from '../query/include.ts';
import { withTiebreaker } from '../query/sort.ts';
import { selectPrepared, selectRows } from './select.ts';

/** Everything an include tree loaded: records by resource and id, and linkage per record. */
export interface IncludedGraph {
  readonly records: Map<string, Map<string, ResourceRecord>>;
  /** `resource:id` -> relationship -> related id(s). */
  readonly linkage: Map<string, Map<string, string | null | string[]>>;
  /** The requested resource's `page.maxIncluded`, and how many related records may still be read. */
  readonly budget: { readonly max: number; remaining: number };
}

export const graphKey = (resource: ResourceModel, id: string): string => `${resource.name}:${id}`;

/** An empty graph for a request on `root`, whose resource file bounds what its includes may read. */
export function emptyGraph(root: ResourceModel): IncludedGraph {
  const max = pageSizes(root).maxIncluded;
  return { records: new Map(), linkage: new Map(), budget: { max, remaining: max } };
}

const tooManyIncluded = (max: number): ApiError =>
  new ApiError('INVALID_INCLUDE', {
    detail: `include would read more than ${max} related records; ask for a smaller page or fewer include paths`,
    source: { parameter: 'include' },
    meta: { max_included: max },
  });

function linkageOf(graph: IncludedGraph, resource: ResourceModel, id: string): Map<string, string | null | string[]> {
  const key = graphKey(resource, id);
  let links = graph.linkage.get(key);
  if (links === undefined) {
    links = new Map();
    graph.linkage.set(key, links);
  }
  return links;
}

function remember(graph: IncludedGraph, resource: ResourceModel, records: readonly ResourceRecord[]): void {
  let byId = graph.records.get(resource.name);
  if (byId === undefined) {
    byId = new Map();
    graph.records.set(resource.name, byId);
  }
  for (const record of records) byId.set(String(record[resource.primaryKey.name]), record);
}

/**
 * Loads an include tree with ONE query per relationship node, whatever the number of parents (no N+1):
 * belongs_to by `id IN (foreign keys)`, has_many by `foreign key IN (ids)`. Rows outside the destination's scope
 * are not loaded, and their linkage is null / absent. All levels together read at most the graph's budget of
 * rows (a record reached by two paths counts twice); one more is a 400, never a truncated `included`.
 */
export async function loadIncluded(
  ctx: OperationContext,
  resource: ResourceModel,
  parents: readonly ResourceRecord[],
  nodes: readonly IncludeNode[],
  graph: IncludedGraph,
): Promise<void> {
  const pk = resource.primaryKey.name;
  for (const node of nodes) {
    const { relationship, destination } = node;
    const keys = [...new Set(parents.map((p) => p[relationship.sourceAttribute]).filter((k): k is string => typeof k === 'string'))];
    const scope = ctx.scope(destination);
    const column = ctx.registry.column(destination, relationship.destinationAttribute);
    const sort = withTiebreaker([], ctx.registry, destination);
    // One row beyond the budget is enough to know it is exceeded, whatever the relationship holds.
    const limit = graph.budget.remaining + 1;
    const selected =
      keys.length === 0
        ? []
        : scope === undefined
          ? await selectPrepared(
              ctx,
              `in:${destination.name}:${relationship.destinationAttribute}`,
              () => ({ resource: destination, where: [sql`${column} = ANY(${sql.placeholder('keys')})`], sort, limit: sql.placeholder('limit') }),
              { keys, limit },
            )
          : await selectRows(ctx, { resource: destination, where: [inArray(column, keys), scope], sort, limit });
    if (selected.length > graph.budget.remaining) throw tooManyIncluded(graph.budget.max);
    graph.budget.remaining -= selected.length;
    const rows = selected.map((r) => r.record);
    if (relationship.cardinality === 'one') {
      const found = new Set(rows.map((r) => String(r[destination.primaryKey.name])));
      for (const parent of parents) {
        const key = parent[relationship.sourceAttribute];
        linkageOf(graph, resource, String(parent[pk])).set(relationship.name, typeof key === 'string' && found.has(key) ? key : null);
      }
    } else {
      const byParent = new Map<string, string[]>();
      for (const row of rows) {
        const parentId = String(row[relationship.destinationAttribute]);
        const ids = byParent.get(parentId);
        // Appended in place: copying the list per row would be quadratic in a parent's related rows.
        if (ids === undefined) byParent.set(parentId, [String(row[destination.primaryKey.name])]);
        else ids.push(String(row[destination.primaryKey.name]));
      }
      for (const parent of parents) {
        const id = String(parent[pk]);
        linkageOf(graph, resource, id).set(relationship.name, byParent.get(id) ?? []);
      }
    }
    remember(graph, destination, rows);
    if (node.children.length > 0) await loadIncluded(ctx, destination, rows, node.children, graph);
  }
}
