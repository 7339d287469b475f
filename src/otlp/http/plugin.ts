import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { OtlpError } from '../errors.ts';
import { otlpSignals } from '../model/common.ts';
import { ByteBudget } from './byte-budget.ts';
import { ingestHandler, type IngestContext } from './ingest-route.ts';
import { sendOtlpError, toOtlpError } from './otlp-errors.ts';
import { PipelineGate } from './pipeline-gate.ts';
import { PipelineStats } from './pipeline-stats.ts';
import { statusRoutes } from './status-routes.ts';
import { traceRoutes } from './trace-routes.ts';

export interface OtlpRoutesOptions {
  /** The pool the pipelines store through (one transaction per request) and the health check pings. */
  readonly pool: pg.Pool;
  /** Requests that may wait for a free pipeline before the next gets 429. Default: OTLP_MAX_CONCURRENT_PIPELINES. */
  readonly maxQueuedPipelines?: number;
  /** Retry-After (seconds) of a 429. Default 1. */
  readonly overloadRetryAfterSeconds?: number;
  /** Body bytes (after gunzip) decoded and stored at once, across pipelines. Default `defaultMemoryBudgetBytes`. */
  readonly memoryBudgetBytes?: number;
}

/**
 * A decoded body takes about 12× its size in memory while it becomes rows, and its rows about 3× until COMMIT;
 * 4 MiB keeps several typical exports (tens to hundreds of KiB) going at once, and large ones one at a time.
 */
export const defaultMemoryBudgetBytes = 4 * 1024 * 1024;

const otherMethods = ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** POST `<base><signal>` for each signal; every other method on those paths is 405 with `Allow: POST`. */
async function exportRoutes(app: FastifyInstance, options: { readonly base: string; readonly ingest: IngestContext }) {
  // Every answer of an export path, whatever produced it (handler, parser, error handler), is counted by status.
  app.addHook('onResponse', async (_request, reply) => {
    options.ingest.stats.respond(reply.statusCode);
  });
  for (const signal of otlpSignals) {
    const url = `${options.base}${signal}`;
    app.post(url, ingestHandler(signal, options.ingest));
    app.route({
      method: [...otherMethods],
      url,
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        void reply.header('allow', 'POST');
        throw new OtlpError(
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${request.url.split('?', 1)[0] ?? url}: OTLP/HTTP exports are POST`,
        );
      },
    });
  }
}

function otlpNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) =>
    sendOtlpError(
      request,
      reply,
      new OtlpError('NOT_FOUND', `no OTLP route ${request.method} ${request.url.split('?', 1)[0] ?? request.url}`),
    ),
  );
}

/**
 * The OTLP/HTTP receiver: `POST /api/otlp/v1/{traces,metrics,logs}` and the standard `/v1/{traces,metrics,logs}`,
 * `GET /api/otlp/pipeline/status`, `GET /api/otlp/health`, `GET /api/otlp/traces/:trace_id`.
 *
 * Encapsulated (not wrapped in fastify-plugin): inside it, bodies are not parsed by Fastify at all (the pipeline
 * reads the raw stream itself, within its slot, its size limit and its time limit), and errors, 404s and 405s are
 * answered as google.rpc.Status in the request's encoding instead of JSON:API documents. The pipeline slots and the
 * counters belong to this registration.
 *
 * @example
 * await app.register(otlpRoutes, { pool });
 */
export async function otlpRoutes(app: FastifyInstance, options: OtlpRoutesOptions): Promise<void> {
  const config = app.config;
  const gate = new PipelineGate(
    config.OTLP_MAX_CONCURRENT_PIPELINES,
    options.maxQueuedPipelines ?? config.OTLP_MAX_CONCURRENT_PIPELINES,
  );
  const stats = new PipelineStats();
  const budget = new ByteBudget(options.memoryBudgetBytes ?? defaultMemoryBudgetBytes);
  const ingest: IngestContext = {
    pool: options.pool,
    gate,
    budget,
    stats,
    maxBodyBytes: config.OTLP_MAX_BODY_BYTES,
    timeoutMs: config.OTLP_PIPELINE_TIMEOUT_MS,
    overloadRetryAfterSeconds: options.overloadRetryAfterSeconds ?? 1,
    requireToken: app.authSettings.collectorTokens.length > 0,
  };
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  // Any content type reaches the handler with its body unread: the pipeline decides (415, 413, 400) and reads it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(null, undefined);
  });
  app.setErrorHandler(async (error, request, reply) => sendOtlpError(request, reply, toOtlpError(error)));

  await app.register(
    async (api) => {
      await api.register(exportRoutes, { base: '/v1/', ingest });
      statusRoutes(api, { pool: options.pool, gate, budget, stats, pingTimeoutMs: 2000, closing: () => closing });
      traceRoutes(api);
      otlpNotFound(api);
    },
    { prefix: '/api/otlp' },
  );
  await app.register(
    async (standard) => {
      await standard.register(exportRoutes, { base: '/', ingest });
      otlpNotFound(standard);
    },
    { prefix: '/v1' },
  );
}
