import type { ActionModel, ResourceModel } from '../../../resources/model/index.ts';
import type { ResourceRecord } from '../../actions/context.ts';
import type { OperationContext } from '../context.ts';
import { jsonApiVersion, renderIncluded, renderRecords } from '../document/render.ts';
import { notFound } from '../errors.ts';
import type { ParsedQuery } from '../query/parse-query.ts';
import { withTiebreaker } from '../query/sort.ts';
import { emptyGraph, loadIncluded } from '../read/include.ts';
import { selectPrepared, selectRows } from '../read/select.ts';
import { eq, sql } from 'drizzle-orm';
import { actionFilter, byId, pkColumn, requireReader } from './shared.ts';

/** The record with this id as the request may see it (scope and the action's filter), or a 404. */
export async function readVisible(ctx: OperationContext, resource: ResourceModel, action: ActionModel, id: string): Promise<ResourceRecord> {
  requireReader(ctx, resource, action);
  const scope = ctx.scope(resource);
  const filter = actionFilter(ctx, resource, action);
  const where = byId(ctx, resource, id);
  const [row] =
    scope === undefined && filter === undefined
      ? await selectPrepared(ctx, `one:${resource.name}`, () => ({ resource, where: [eq(pkColumn(ctx, resource), sql.placeholder('id'))], sort: withTiebreaker([], ctx.registry, resource), limit: 1 }), { id })
      : await selectRows(ctx, { resource, where: [where, scope, filter], sort: withTiebreaker([], ctx.registry, resource), limit: 1 });
  if (row === undefined) throw notFound(resource.jsonApi?.type ?? resource.name, id);
  return row.record;
}

/** A single-resource document for `record`, with includes and sparse fieldsets. */
export async function singleDocument(ctx: OperationContext, resource: ResourceModel, record: ResourceRecord | null, query: ParsedQuery, self: string) {
  const graph = emptyGraph(resource);
  if (record !== null) await loadIncluded(ctx, resource, [record], query.include, graph);
  const [data] = record === null ? [] : renderRecords(ctx, resource, [record], query.fields, graph);
  return {
    jsonapi: jsonApiVersion,
    data: data ?? null,
    ...(query.include.length === 0 ? {} : { included: renderIncluded(ctx, graph, query.fields, data === undefined ? [] : [data]) }),
    links: { self },
  };
}

export interface FetchOneRequest {
  readonly resource: ResourceModel;
  readonly action: ActionModel;
  readonly id: string;
  readonly query: ParsedQuery;
  readonly self: string;
}

/** GET /<base>/:id */
export async function fetchOne(ctx: OperationContext, request: FetchOneRequest) {
  const record = await readVisible(ctx, request.resource, request.action, request.id);
  return singleDocument(ctx, request.resource, record, request.query, request.self);
}
