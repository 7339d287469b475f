import Fastify, { type FastifyInstance } from 'fastify';
import qs from 'qs';
import type pg from 'pg';
import packageJson from '../../package.json' with { type: 'json' };
import type { Config } from '../config/config.ts';
import type { Database } from '../db/pool.ts';
import type { Registry } from '../runtime/registry.ts';
import { errorHandlerPlugin } from './error-handler.ts';
import { loggerOptions } from './logger.ts';
import { authPlugin } from './auth/plugin.ts';
import type { AuthSettings } from './auth/settings.ts';
import { serverContext } from './server-context.ts';
import { traceIdOf } from './trace.ts';
import { coordinationRoutes } from './coordination/routes.ts';
import { recordingSink } from '../events/sink.ts';
import { EventPublisher } from '../events/publisher.ts';
import type { ActionObservation, EventSink } from '../actions/context.ts';
import type { EventBus } from '../events/bus.ts';
import { coordinationEnabled } from '../coordination/enabled.ts';
import { coordinationMetrics } from '../coordination/metrics.ts';
import { createMetricsRegistry } from '../metrics/metrics-registry.ts';
import { recordHttpMetrics } from '../metrics/http-metrics.ts';
import { metricsRoutes } from './routes/metrics.ts';
import type { JsonValue } from '../../resources/define.ts';
import { jsonApiRoutes } from './jsonapi/routes.ts';
import { otlpRoutes } from '../otlp/http/plugin.ts';
import { healthRoutes } from './routes/health.ts';
import { openApiRoutes } from './openapi/plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    readonly config: Config;
    readonly registry: Registry;
    readonly db: Database;
    /** Server settings resources read (see serverContext). */
    readonly serverContext: Readonly<Record<string, JsonValue>>;
    /** Where actions with `notify` publish: a telemetry event and a NOTIFY in the write's transaction. */
    readonly eventSink: EventSink;
    /** Told about every action run (the claim-latency histogram). */
    readonly observeAction: (observation: ActionObservation) => void;
    /** This server process, as bus events name their origin. */
    readonly instanceId: string;
  }
  interface FastifyRequest {
    /** From traceparent / x-trace-id, or new; echoed in the x-trace-id response header. */
    traceId: string;
  }
}

export interface AppDependencies {
  readonly config: Config;
  /** Credentials and registration mode (resolveAuthSettings). */
  readonly auth: AuthSettings;
  readonly registry: Registry;
  readonly database: { readonly pool: pg.Pool; readonly db: Database };
  /** The cross-process event bus (main.ts starts one); the coordination counters follow it when given. */
  readonly bus?: EventBus;
  /** false silences the logger (tests); a stream receives the JSON log lines instead of stdout. */
  readonly logger?: false | { readonly stream: NodeJS.WritableStream };
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the Fastify app; `npm start` listens with it and tests drive it through `inject`. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger === false ? false : { ...loggerOptions(deps.config), ...(deps.logger === undefined ? {} : { stream: deps.logger.stream }) },
    // Accept a caller's x-request-id (sanitized) so logs line up across services; otherwise generate one.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    routerOptions: {
      // Nested parameters (filter[agent][agent_id][in]=a,b) with limits against abuse.
      querystringParser: (query) => qs.parse(query, { depth: 8, parameterLimit: 200, arrayLimit: 100, allowPrototypes: false }),
    },
  });
  // JSON bodies, with prototype-poisoning protection; an empty body is "no body" (action routes such as
  // PATCH /work_items/:id/start take none), never a parse error.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'application/vnd.api+json'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return json(request, text, done);
  });
  app.decorateRequest('traceId', '');
  app.addHook('onRequest', async (request, reply) => {
    if (!requestIdPattern.test(request.id)) request.id = crypto.randomUUID();
    void reply.header('x-request-id', request.id);
    request.traceId = traceIdOf(request);
    void reply.header('x-trace-id', request.traceId);
  });
  // Once closing, responses carry `Connection: close`, so keep-alive sockets of in-flight requests end with their
  // response instead of holding app.close() open until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    // JSON:API: its media type is sent without parameters other than ext/profile; Fastify appends a charset.
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/vnd.api+json')) void reply.header('content-type', type.replace(/;\s*charset=utf-8/i, ''));
    return payload;
  });
  app.decorate('config', deps.config);
  const context = serverContext(deps.config, deps.auth);
  const instanceId = crypto.randomUUID();
  app.decorate('instanceId', instanceId);
  app.decorate('serverContext', context);
  const publisher = new EventPublisher(deps.database.pool, app.log);
  app.decorate('eventSink', recordingSink(deps.registry, instanceId, publisher));
  // Requests are done by now (onClose runs after the server stopped accepting them): send what they announced.
  app.addHook('onClose', async () => {
    await publisher.drain();
  });
  app.decorate('registry', deps.registry);
  app.decorate('db', deps.database.db);
  const metrics = createMetricsRegistry();
  recordHttpMetrics(app, metrics);
  const coordination = coordinationEnabled(deps.registry)
    ? coordinationMetrics({ metrics, db: deps.database.db, registry: deps.registry, offlineAfterMs: 3 * deps.config.AGENT_HEARTBEAT_INTERVAL, origin: instanceId })
    : undefined;
  app.decorate('observeAction', (observation: ActionObservation) => coordination?.onAction(observation));
  if (deps.bus !== undefined && coordination !== undefined) {
    const unsubscribe = deps.bus.subscribe((event) => coordination.onEvent(event));
    app.addHook('onClose', async () => {
      unsubscribe();
    });
  }
  await app.register(errorHandlerPlugin);
  await app.register(authPlugin, { settings: deps.auth, registry: deps.registry, db: deps.database.db });
  await app.register(jsonApiRoutes, { registry: deps.registry });
  if (coordination !== undefined) await app.register(coordinationRoutes, { prefix: '/api/coordination', ...(deps.bus === undefined ? {} : { bus: deps.bus }) });
  await app.register(metricsRoutes, { metrics });
  await app.register(otlpRoutes, { pool: deps.database.pool });
  await app.register(healthRoutes, {
    pool: deps.database.pool,
    version: deps.config.GIT_SHA === 'dev' ? packageJson.version : `${packageJson.version}+${deps.config.GIT_SHA}`,
    timeoutMs: 2000,
  });
  await app.register(openApiRoutes);
  return app;
}
