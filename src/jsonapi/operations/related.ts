import { eq } from 'drizzle-orm';
import { pageSizes, type ActionModel, type RelationshipModel, type ResourceModel } from '../../../resources/model/index.ts';
import type { OperationContext } from '../context.ts';
import { selfLink, type RequestTarget } from '../document/links.ts';
import { jsonApiVersion } from '../document/render.ts';
import { fillId, shapeOf } from '../document/shape.ts';
import type { ParsedQuery } from '../query/parse-query.ts';
import { withTiebreaker } from '../query/sort.ts';
import { selectRows } from '../read/select.ts';
import { fetchCollection } from './fetch-collection.ts';
import { readVisible, singleDocument } from './fetch-one.ts';
import { actionFilter, primaryRead } from './shared.ts';

export interface RelatedRequest {
  readonly resource: ResourceModel;
  /** The action that reads the source record (404 when it cannot see it). */
  readonly action: ActionModel;
  readonly relationship: RelationshipModel;
  readonly id: string;
  /** Parsed against the destination resource. */
  readonly query: ParsedQuery;
  readonly target: RequestTarget;
}

/**
 * GET /<base>/:id/<relationship>: the related record (or null) for to-one, a full collection (filter, sort, paging,
 * include) for to-many. The source must be visible, else 404; related rows obey their own scope.
 */
export async function fetchRelated(ctx: OperationContext, request: RelatedRequest) {
  const source = await readVisible(ctx, request.resource, request.action, request.id);
  const destination = ctx.registry.resource(request.relationship.destination);
  const destinationAction = primaryRead(destination);
  const key = source[request.relationship.sourceAttribute];
  const joinColumn = ctx.registry.column(destination, request.relationship.destinationAttribute);
  if (request.relationship.cardinality === 'many') {
    return fetchCollection(ctx, { resource: destination, action: destinationAction, query: request.query, target: request.target, where: eq(joinColumn, String(key)) });
  }
  // A dangling or hidden related record reads as null, like a missing one.
  const [related] =
    typeof key !== 'string'
      ? []
      : await selectRows(ctx, {
          resource: destination,
          where: [eq(joinColumn, key), ctx.scope(destination), actionFilter(ctx, destination, destinationAction)],
          sort: withTiebreaker([], ctx.registry, destination),
          limit: 1,
        });
  return singleDocument(ctx, destination, related?.record ?? null, request.query, selfLink(request.target));
}

/** GET /<base>/:id/relationships/<relationship>: resource identifiers only, with self and related links. */
export async function fetchRelationship(ctx: OperationContext, request: Omit<RelatedRequest, 'query'>) {
  const source = await readVisible(ctx, request.resource, request.action, request.id);
  const destination = ctx.registry.resource(request.relationship.destination);
  const type = shapeOf(ctx.registry, destination).type;
  const key = source[request.relationship.sourceAttribute];
  const rows = typeof key !== 'string'
    ? []
    : await selectRows(ctx, {
        resource: destination,
        where: [eq(ctx.registry.column(destination, request.relationship.destinationAttribute), key), ctx.scope(destination)],
        sort: withTiebreaker([], ctx.registry, destination),
        limit: pageSizes(destination).max,
      });
  const ids = rows.map((r) => ({ type, id: String(r.record[destination.primaryKey.name]) }));
  const related = shapeOf(ctx.registry, request.resource).relationships.find((r) => r.model.name === request.relationship.name)?.relatedPath;
  return {
    jsonapi: jsonApiVersion,
    links: { self: selfLink(request.target), ...(related === undefined ? {} : { related: ctx.origin + fillId(related, request.id) }) },
    data: request.relationship.cardinality === 'one' ? (ids[0] ?? null) : ids,
  };
}
