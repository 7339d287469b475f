import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { RouteKind } from '../../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../../resources/model/index.ts';
import type { RouteSetup } from '../../jsonapi/route-setup.ts';
import type { RequestTarget } from '../../jsonapi/document/links.ts';
import { fetchCollection } from '../../jsonapi/operations/fetch-collection.ts';
import { fetchOne } from '../../jsonapi/operations/fetch-one.ts';
import { fetchRelated, fetchRelationship } from '../../jsonapi/operations/related.ts';
import { runTargetedWrite, runWrite, writtenDocument } from '../../jsonapi/operations/write.ts';
import { parseQuery } from '../../jsonapi/query/parse-query.ts';
import type { RawQuery } from '../../jsonapi/query/raw.ts';
import { jsonApiMediaType } from './media-type.ts';
import { operationContext, requestOrigin } from './context.ts';

const rawQuery = (request: FastifyRequest): RawQuery => (request.query ?? {}) as RawQuery;
const pathId = (request: FastifyRequest): string => String((request.params as Readonly<Record<string, string>>)['id'] ?? '');
const target = (request: FastifyRequest): RequestTarget => ({ origin: requestOrigin(request), path: request.url.split('?')[0] ?? request.url, query: rawQuery(request) });
const send = (reply: FastifyReply, status: number, document: unknown) => reply.status(status).type(jsonApiMediaType).send(document);

/** A body is optional on action routes (`PATCH /:id/claim`), required on plain creates and updates. */
const hasBody = (request: FastifyRequest): boolean => request.body !== undefined && request.body !== null && request.body !== '';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`route setup is missing its ${what}`);
  return value;
}

/** One handler factory per route kind: validated input -> operation -> document. */
export const handlerFactories: { readonly [K in RouteKind]: (setup: RouteSetup) => RouteHandlerMethod } = {
  index: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const query = parseQuery(rawQuery(request), setup.resource, ctx, 'collection');
    return send(reply, 200, await fetchCollection(ctx, { resource: setup.resource, action: setup.action, query, target: target(request) }));
  },
  get: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const query = parseQuery(rawQuery(request), setup.resource, ctx, 'single');
    return send(reply, 200, await fetchOne(ctx, { resource: setup.resource, action: setup.action, id: pathId(request), query, self: `${requestOrigin(request)}${target(request).path}` }));
  },
  post: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const query = parseQuery(rawQuery(request), setup.resource, ctx, 'single');
    const body = required(setup.body, 'body validator')(request.body);
    const outcome = await runWrite(ctx, { resource: setup.resource, action: setup.action, body, query });
    const { document, location } = await writtenDocument(ctx, setup.resource, outcome, query);
    if (location !== undefined) void reply.header('location', location);
    return send(reply, 201, document);
  },
  patch: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const query = parseQuery(rawQuery(request), setup.resource, ctx, 'single');
    const plainUpdate = setup.route.path.endsWith('/:id');
    const body = plainUpdate || hasBody(request) ? required(setup.body, 'body validator')(request.body) : undefined;
    const outcome = await runWrite(ctx, { resource: setup.resource, action: setup.action, body, id: pathId(request), query });
    return send(reply, 200, (await writtenDocument(ctx, setup.resource, outcome, query)).document);
  },
  delete: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    // JSON:API gives DELETE no request document; a body some clients send anyway (an identifier) is ignored.
    const query = parseQuery(rawQuery(request), setup.resource, ctx, 'single');
    await runWrite(ctx, { resource: setup.resource, action: setup.action, body: undefined, id: pathId(request), query });
    return reply.status(204).send();
  },
  related: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const relationship = required(setup.relationship, 'relationship');
    const destination = ctx.registry.resource(relationship.destination);
    const query = parseQuery(rawQuery(request), destination, ctx, relationship.cardinality === 'many' ? 'collection' : 'single');
    const document = await fetchRelated(ctx, { resource: setup.resource, action: setup.action, relationship, id: pathId(request), query, target: target(request) });
    return send(reply, 200, document);
  },
  relationship: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    parseQuery(rawQuery(request), setup.resource, ctx, 'single');
    const relationship = required(setup.relationship, 'relationship');
    return send(reply, 200, await fetchRelationship(ctx, { resource: setup.resource, action: readActionOf(setup.resource), relationship, id: pathId(request), target: target(request) }));
  },
  action: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const query = parseQuery(rawQuery(request), setup.resource, ctx, 'single');
    const body = hasBody(request) ? required(setup.body, 'body validator')(request.body) : undefined;
    const outcome = await runTargetedWrite(ctx, { resource: setup.resource, action: setup.action, body, query });
    if (outcome === undefined) return reply.status(204).send();
    return send(reply, 200, (await writtenDocument(ctx, setup.resource, outcome, query)).document);
  },
  patch_relationship: (setup) => async (request, reply) => {
    const ctx = operationContext(request);
    const relationship = required(setup.relationship, 'relationship');
    const id = required(setup.linkage, 'linkage validator')(request.body);
    const body = { type: setup.resource.jsonApi?.type ?? setup.resource.name, attributes: {}, relationships: { [relationship.name]: id } };
    const query = parseQuery({}, setup.resource, ctx, 'single');
    await runWrite(ctx, { resource: setup.resource, action: setup.action, body, id: pathId(request), query });
    return send(reply, 200, await fetchRelationship(ctx, { resource: setup.resource, action: readActionOf(setup.resource), relationship, id: pathId(request), target: target(request) }));
  },
};

function readActionOf(resource: ResourceModel): ActionModel {
  const action = resource.actions.find((a) => a.type === 'read' && a.primary);
  if (action === undefined) throw new Error(`${resource.name} has no primary read action`);
  return action;
}
