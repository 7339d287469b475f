import type { RouteHandlerMethod } from 'fastify';
import { jsonApiPrefix } from '../../../resources/model/index.ts';
import { ApiError } from '../../jsonapi/errors.ts';
import { runAtomic } from '../../jsonapi/operations/atomic.ts';
import { parseQuery } from '../../jsonapi/query/parse-query.ts';
import type { RouteSetup } from '../../jsonapi/route-setup.ts';
import { operationContext } from './context.ts';
import { atomicExtension, parseMediaType } from './media-type.ts';

export const atomicPath = `${jsonApiPrefix}/operations`;
const atomicMediaType = `application/vnd.api+json; ext="${atomicExtension}"`;

/** POST /api/json/operations: the Atomic Operations extension over every declared write route. */
export function atomicHandler(setups: readonly RouteSetup[]): RouteHandlerMethod {
  return async (request, reply) => {
    const type = parseMediaType(request.headers['content-type'] ?? '');
    if (!(type.parameters.get('ext') ?? '').split(' ').includes(atomicExtension)) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', { detail: `Atomic operations are sent as ${atomicMediaType}`, source: { header: 'Content-Type' } });
    }
    const ctx = operationContext(request);
    const results = await runAtomic(ctx, setups, request.body, (setup) => parseQuery({}, setup.resource, ctx, 'single'));
    if (results.every((r) => Object.keys(r).length === 0)) return reply.status(204).send();
    return reply.status(200).type(atomicMediaType).send({ 'atomic:results': results });
  };
}
