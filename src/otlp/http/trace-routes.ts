import type { FastifyInstance } from 'fastify';
import { readScope } from '../../actions/run-action.ts';
import { OtlpError } from '../errors.ts';
import { jaegerResponse, jaegerTrace } from '../read/jaeger-trace.ts';
import { tracesDataOtlpJson } from '../read/otlp-json-trace.ts';
import { normalizeTraceId, readTraceSpans } from '../read/trace-query.ts';
import { authenticatedActor } from './otlp-auth.ts';

const formats = ['otlp', 'jaeger'] as const;
type TraceFormat = (typeof formats)[number];

const isFormat = (value: unknown): value is TraceFormat => formats.some((format) => format === value);

/**
 * GET /traces/:trace_id — a stored trace as OTLP/JSON TracesData, or `?format=jaeger` as Jaeger query JSON. Needs a
 * bearer token: telemetry events are read by actors only (their resource's read policy, applied as SQL).
 */
export function traceRoutes(app: FastifyInstance): void {
  app.get<{ Params: { trace_id: string }; Querystring: Record<string, unknown> }>(
    '/traces/:trace_id',
    async (request, reply) => {
      const traceId = normalizeTraceId(request.params.trace_id);
      if (traceId === undefined) {
        throw new OtlpError('BAD_REQUEST', `trace id ${JSON.stringify(request.params.trace_id)} is not 32 hex digits`);
      }
      const format = request.query['format'] ?? 'otlp';
      if (!isFormat(format)) {
        throw new OtlpError(
          'BAD_REQUEST',
          `format must be one of ${formats.join(', ')}, got ${JSON.stringify(format)}`,
        );
      }
      // Telemetry is read under the telemetry_event resource's read policies, as through the JSON:API.
      const actor = await authenticatedActor(request);
      if (actor === undefined)
        throw new OtlpError('UNAUTHENTICATED', 'reading telemetry needs Authorization: Bearer <token>');
      const resource = app.registry.resource('telemetry_event');
      const scope = readScope({ registry: app.registry, db: app.db, actor, context: app.serverContext }, resource);
      const spans = await readTraceSpans(app.db, traceId, scope);
      if (spans.length === 0) throw new OtlpError('NOT_FOUND', `no spans of trace ${traceId} are stored`);
      const body = format === 'jaeger' ? jaegerResponse(jaegerTrace(traceId, spans)) : tracesDataOtlpJson(spans);
      return reply.type('application/json').send(body);
    },
  );
}
