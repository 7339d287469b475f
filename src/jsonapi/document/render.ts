import type { ResourceModel } from '../../../resources/model/index.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import type { OperationContext } from '../context.ts';
import type { Fieldsets } from '../query/fields.ts';
import { graphKey, type IncludedGraph } from '../read/include.ts';
import { recordId, resourceObject, type ResourceObject } from './resource-object.ts';
import { shapeOf } from './shape.ts';

export const jsonApiVersion = { version: '1.1' } as const;

function render(ctx: OperationContext, resource: ResourceModel, record: ResourceRecord, fields: Fieldsets, graph: IncludedGraph): ResourceObject {
  const shape = shapeOf(ctx.registry, resource);
  return resourceObject(shape, record, {
    origin: ctx.origin,
    fieldset: fields.get(shape.type),
    linkage: graph.linkage.get(graphKey(resource, recordId(shape, record))),
    foreignKeyLinkage: (name) => {
      const relationship = resource.relationships.find((r) => r.name === name);
      return relationship !== undefined && ctx.scope(ctx.registry.resource(relationship.destination)) === undefined;
    },
  });
}

export function renderRecords(
  ctx: OperationContext,
  resource: ResourceModel,
  records: readonly ResourceRecord[],
  fields: Fieldsets,
  graph: IncludedGraph,
): ResourceObject[] {
  return records.map((record) => render(ctx, resource, record, fields, graph));
}

/** Every loaded related record once (by type and id), never repeating primary data. */
export function renderIncluded(ctx: OperationContext, graph: IncludedGraph, fields: Fieldsets, primary: readonly ResourceObject[]): ResourceObject[] {
  const seen = new Set(primary.map((o) => `${o.type}:${o.id}`));
  const included: ResourceObject[] = [];
  for (const [name, records] of graph.records) {
    const resource = ctx.registry.resource(name);
    for (const record of records.values()) {
      const object = render(ctx, resource, record, fields, graph);
      const key = `${object.type}:${object.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      included.push(object);
    }
  }
  return included;
}
