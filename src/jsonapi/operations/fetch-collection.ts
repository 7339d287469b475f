import type { SQL } from 'drizzle-orm';
import type { ActionModel, ResourceModel } from '../../../resources/model/index.ts';
import type { OperationContext } from '../context.ts';
import { pageLink, selfLink, type RequestTarget } from '../document/links.ts';
import { jsonApiVersion, renderIncluded, renderRecords } from '../document/render.ts';
import { filterToSql } from '../query/filter-sql.ts';
import { decodeCursor, encodeCursor, keysetPredicate, nullPattern, sortSignature } from '../query/keyset.ts';
import type { ParsedQuery } from '../query/parse-query.ts';
import { rootSource } from '../query/source.ts';
import { emptyGraph, loadIncluded } from '../read/include.ts';
import { countRows, selectPrepared, selectRows, type SelectedRow } from '../read/select.ts';
import { sql } from 'drizzle-orm';
import { actionFilter, requireReader } from './shared.ts';

export interface CollectionRequest {
  readonly resource: ResourceModel;
  readonly action: ActionModel;
  readonly query: ParsedQuery;
  readonly target: RequestTarget;
  /** Narrows the collection further (a related route's foreign key). */
  readonly where?: SQL;
}

interface PageResult {
  readonly rows: readonly SelectedRow[];
  readonly links: Record<string, string | null>;
  readonly meta: Record<string, number>;
}

/** Reads one page (one extra row tells whether there is a next page without counting). */
async function readPage(ctx: OperationContext, request: CollectionRequest, where: readonly (SQL | undefined)[]): Promise<PageResult> {
  // No filter, scope or narrowing: the statement's shape depends only on the sort and the cursor, so it is prepared.
  const plain = where.every((w) => w === undefined);
  const { sort } = request.query;
  // page[count] is carried into every link, so each page of a counted list is counted too.
  const page = request.query.page;
  const counted = page.count ? { count: 'true' } : {};
  const cursorOf = (row: SelectedRow | undefined): string | null => (row === undefined ? null : encodeCursor(sort, row.sortValues));
  if (page.kind === 'offset') {
    const fetched = await selectRows(ctx, { resource: request.resource, where, sort, limit: page.limit + 1, offset: page.offset });
    const rows = fetched.slice(0, page.limit);
    const hasNext = fetched.length > page.limit;
    return {
      rows,
      links: {
        first: pageLink(request.target, { limit: page.limit, offset: 0, ...counted }),
        prev: page.offset > 0 ? pageLink(request.target, { limit: page.limit, offset: Math.max(0, page.offset - page.limit), ...counted }) : null,
        next: hasNext ? pageLink(request.target, { limit: page.limit, offset: page.offset + page.limit, ...counted }) : null,
      },
      meta: { limit: page.limit, offset: page.offset },
    };
  }
  const cursor = page.after ?? page.before;
  const direction = page.before !== undefined ? 'before' : 'after';
  const values = cursor === undefined ? undefined : decodeCursor(cursor, sort, `page[${direction}]`);
  const reverse = direction === 'before';
  const fetched = plain
    ? await selectPrepared(
        ctx,
        `page:${request.resource.name}:${sortSignature(sort)}:${direction}:${values === undefined ? '-' : nullPattern(values)}`,
        () => ({
          resource: request.resource,
          where: values === undefined ? [] : [keysetPredicate(sort, values, direction, (i) => sql.placeholder(`c${i}`))],
          sort,
          limit: sql.placeholder('limit'),
          reverse,
        }),
        { limit: page.limit + 1, ...Object.fromEntries((values ?? []).map((v, i) => [`c${i}`, v])) },
      )
    : await selectRows(ctx, {
        resource: request.resource,
        where: [...where, values === undefined ? undefined : keysetPredicate(sort, values, direction)],
        sort,
        limit: page.limit + 1,
        reverse,
      });
  const more = fetched.length > page.limit;
  // Read backwards for `before`, the extra row is the one furthest from the cursor: the first in page order.
  const rows = direction === 'before' && more ? fetched.slice(1) : fetched.slice(0, page.limit);
  const first = cursorOf(rows[0]);
  const last = cursorOf(rows[rows.length - 1]);
  const hasPrev = direction === 'before' ? more : cursor !== undefined;
  const hasNext = direction === 'before' ? true : more;
  return {
    rows,
    links: {
      first: pageLink(request.target, { limit: page.limit, ...counted }),
      prev: hasPrev && first !== null ? pageLink(request.target, { limit: page.limit, before: first, ...counted }) : null,
      next: hasNext && last !== null ? pageLink(request.target, { limit: page.limit, after: last, ...counted }) : null,
    },
    meta: { limit: page.limit },
  };
}

/**
 * A collection document: filter, sort (total order), paging by cursor or offset, includes (one query per
 * relationship), sparse fieldsets, links that round-trip, `meta.page.total` when `page[count]=true`.
 */
export async function fetchCollection(ctx: OperationContext, request: CollectionRequest) {
  const { resource, query } = request;
  requireReader(ctx, resource, request.action);
  const where = [
    ctx.scope(resource),
    actionFilter(ctx, resource, request.action),
    query.filter === undefined ? undefined : filterToSql(query.filter, rootSource(ctx.registry, resource), ctx),
    request.where,
  ];
  const [page, total] = await Promise.all([readPage(ctx, request, where), query.page.count ? countRows(ctx, resource, where) : undefined]);
  const records = page.rows.map((r) => r.record);
  const graph = emptyGraph(resource);
  await loadIncluded(ctx, resource, records, query.include, graph);
  const data = renderRecords(ctx, resource, records, query.fields, graph);
  const links: Record<string, string | null> = { self: selfLink(request.target), ...page.links };
  if (total !== undefined && query.page.kind === 'offset') {
    links['last'] = pageLink(request.target, { limit: query.page.limit, offset: Math.max(0, Math.ceil(total / query.page.limit) - 1) * query.page.limit, count: 'true' });
  }
  return {
    jsonapi: jsonApiVersion,
    data,
    ...(query.include.length === 0 ? {} : { included: renderIncluded(ctx, graph, query.fields, data) }),
    links,
    meta: { page: { ...page.meta, ...(total === undefined ? {} : { total }) } },
  };
}
