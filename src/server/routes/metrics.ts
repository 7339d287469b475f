import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ApiError } from '../../jsonapi/errors.ts';

const scrapers = new Set(['admin', 'scraper']);

/**
 * GET /metrics in the Prometheus text format. Authenticated like everything else: the admin token or one of
 * METRICS_TOKENS (Prometheus sends it with `authorization: {credentials: ...}` in its scrape config).
 */
export async function metricsRoutes(app: FastifyInstance, options: { readonly metrics: Registry }): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    const actor = await app.authenticate(request);
    if (actor === undefined) throw new ApiError('UNAUTHORIZED', { detail: 'Send Authorization: Bearer <a METRICS_TOKENS token or the admin token>', source: { header: 'Authorization' } });
    if (!scrapers.has(String(actor['type']))) throw new ApiError('FORBIDDEN', { detail: 'Only the admin and METRICS_TOKENS holders may read /metrics' });
    const text = await options.metrics.metrics();
    return reply.type(options.metrics.contentType).send(text);
  });
}
