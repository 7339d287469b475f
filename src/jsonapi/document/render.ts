import type { ResourceModel } from '../../../resources/model/index.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import type { OperationContext } from '../context.ts';
import type { Fieldsets } from '../query/fields.ts';
import { graphKey, type IncludedGraph } from '../read/include.ts';
import { resourceRenderer, type ResourceObject } from './resource-object.ts';
import { shapeOf } from './shape.ts';

export const jsonApiVersion = { version: '1.1' } as const;

function rendererFor(ctx: OperationContext, resource: ResourceModel, fields: Fieldsets) {
  const shape = shapeOf(ctx.registry, resource);
  const hidden = ctx.hidden(resource);
  const requested = fields.get(shape.type);
  const all = requested === undefined ? [...shape.attributes, ...shape.relationships.map((r) => r.name)] : [...requested];
  const visible: ReadonlySet<string> | undefined = hidden.size === 0 ? requested : new Set(all.filter((f) => !hidden.has(f)));
  const foreignKeyLinkage = new Set(
    resource.relationships.filter((r) => ctx.scope(ctx.registry.resource(r.destination)) === undefined).map((r) => r.name),
  );
  return resourceRenderer(shape, { origin: ctx.origin, fieldset: visible, foreignKeyLinkage });
}

export function renderRecords(
  ctx: OperationContext,
  resource: ResourceModel,
  records: readonly ResourceRecord[],
  fields: Fieldsets,
  graph: IncludedGraph,
): ResourceObject[] {
  const render = rendererFor(ctx, resource, fields);
  const pk = resource.primaryKey.name;
  return records.map((record) => render(record, graph.linkage.get(graphKey(resource, String(record[pk])))));
}

/** Every loaded related record once (by type and id), never repeating primary data. */
export function renderIncluded(ctx: OperationContext, graph: IncludedGraph, fields: Fieldsets, primary: readonly ResourceObject[]): ResourceObject[] {
  const seen = new Set(primary.map((o) => `${o.type}:${o.id}`));
  const included: ResourceObject[] = [];
  for (const [name, records] of graph.records) {
    const resource = ctx.registry.resource(name);
    const render = rendererFor(ctx, resource, fields);
    const type = shapeOf(ctx.registry, resource).type;
    for (const [id, record] of records) {
      const key = `${type}:${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      included.push(render(record, graph.linkage.get(graphKey(resource, id))));
    }
  }
  return included;
}
