import { closedObject, type JsonSchema, type ResponseContract, type RouteContract } from './contract.ts';

/**
 * OTLP/HTTP (opentelemetry-proto docs/specification.md "OTLP/HTTP"): exports at /api/otlp/v1/<signal> and the
 * collector's standard /v1/<signal>, protobuf or JSON; failures are google.rpc.Status in the request's encoding.
 * The read routes answer JSON. Served by src/otlp/http.
 */
export const protobufMediaType = 'application/x-protobuf';
const tag = 'telemetry';

const signals = [
  { signal: 'traces', name: 'Traces', request: 'ExportTraceServiceRequest', response: 'ExportTraceServiceResponse', items: 'resourceSpans', rejected: 'rejectedSpans' },
  { signal: 'metrics', name: 'Metrics', request: 'ExportMetricsServiceRequest', response: 'ExportMetricsServiceResponse', items: 'resourceMetrics', rejected: 'rejectedDataPoints' },
  { signal: 'logs', name: 'Logs', request: 'ExportLogsServiceRequest', response: 'ExportLogsServiceResponse', items: 'resourceLogs', rejected: 'rejectedLogRecords' },
] as const;

const protobuf = (message: string): JsonSchema => ({ description: `${message}, protobuf-encoded (opentelemetry-proto).` });

/** google.rpc.Status in proto3 JSON: zero and empty fields are left out. */
const rpcStatusJson: JsonSchema = {
  type: 'object',
  description: 'google.rpc.Status: `code` is a google.rpc.Code (informational), `message` says what failed.',
  properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } },
  additionalProperties: false,
};
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string', pattern: '^[0-9]+$' } } };

const failure = (description: string, encodings: 'both' | 'json', retry = false): ResponseContract => ({
  description,
  content: encodings === 'both' ? { [protobufMediaType]: protobuf('google.rpc.Status'), 'application/json': rpcStatusJson } : { 'application/json': rpcStatusJson },
  ...(retry ? { headers: retryAfter } : {}),
});

const exportFailures = {
  '400': failure('The body cannot be decoded (the client must not retry it).', 'both'),
  '401': failure('OTLP_INGEST_TOKENS is set and no valid bearer token was sent.', 'both'),
  '403': failure('The token\'s actor does not send telemetry.', 'both'),
  '413': failure('The body is larger than OTLP_MAX_BODY_BYTES, raw or after gzip decompression.', 'both'),
  '415': failure('Content-Type is not application/x-protobuf or application/json, or Content-Encoding not gzip/identity.', 'both'),
  '429': failure('Every pipeline is busy and the wait queue is full, or too many failed authentications: retry after Retry-After.', 'both', true),
  '500': failure('A failure on the server side; nothing was stored.', 'both'),
  '503': failure('The pipeline timed out or the database is unavailable; nothing was stored, retry after Retry-After.', 'both', true),
} as const;

function exportRoute(base: string, suffix: string, signal: (typeof signals)[number]): RouteContract {
  const partial = closedObject({ [signal.rejected]: { type: 'string', pattern: '^[0-9]+$' }, errorMessage: { type: 'string' } }, [signal.rejected, 'errorMessage']);
  return {
    method: 'POST',
    path: `${base}/v1/${signal.signal}`,
    operationId: `otlpExport${signal.name}${suffix}`,
    tag,
    summary: `Export ${signal.signal} (OTLP/HTTP${suffix === '' ? '' : ', collector path'})`,
    description:
      'Decoded, validated and stored in one transaction; items that fail validation are reported as partial success. ' +
      'Open unless OTLP_INGEST_TOKENS is set (then a collector, agent or admin token is required). ' +
      'Bodies may be gzip-compressed (Content-Encoding: gzip).',
    security: 'optional',
    parameters: [
      { name: 'Content-Encoding', in: 'header', description: 'gzip or identity.', schema: { type: 'string', enum: ['gzip', 'identity'] } },
    ],
    requestBody: {
      required: true,
      content: {
        [protobufMediaType]: protobuf(signal.request),
        'application/json': {
          type: 'object',
          description: `${signal.request} in OTLP/JSON (proto3 JSON mapping, lowerCamelCase keys, hex trace and span ids).`,
          properties: { [signal.items]: { type: 'array', items: { type: 'object' } } },
        },
      },
    },
    responses: {
      '200': {
        description: `Stored. ${signal.response}: empty on full success, partialSuccess when items were rejected. Answered in the request's encoding.`,
        content: {
          [protobufMediaType]: protobuf(signal.response),
          'application/json': closedObject({ partialSuccess: partial }, ['partialSuccess']),
        },
      },
      ...exportFailures,
    },
  };
}

const signalCounters = closedObject(
  Object.fromEntries(['requests', 'received', 'accepted', 'rejected', 'stored', 'overloaded'].map((name) => [name, { type: 'integer', minimum: 0 }])),
);
const count = { type: 'integer', minimum: 0 };

export const otlpContracts: readonly RouteContract[] = [
  ...signals.map((signal) => exportRoute('/api/otlp', '', signal)),
  ...signals.map((signal) => exportRoute('', 'AtCollectorPath', signal)),
  {
    method: 'GET',
    path: '/api/otlp/pipeline/status',
    operationId: 'otlpPipelineStatus',
    tag,
    summary: 'OTLP pipeline status',
    description: 'Live counters of this server process since it started (sum them across processes).',
    security: 'none',
    responses: {
      '200': {
        description: 'The pipeline status.',
        content: {
          'application/json': closedObject({
            status: { const: 'ok' },
            data: closedObject({
              status: { enum: ['operational', 'saturated', 'unhealthy'] },
              active_pipelines: count,
              queued_pipelines: count,
              max_concurrent_pipelines: count,
              max_queued_pipelines: count,
              memory_budget_bytes: count,
              body_bytes_in_progress: count,
              waiting_for_memory: count,
              total_pipelines_executed: count,
              successful_pipelines: count,
              client_error_pipelines: count,
              failed_pipelines: count,
              timed_out_pipelines: count,
              rejected_for_capacity: count,
              success_rate: { type: ['number', 'null'], minimum: 0, maximum: 1 },
              processing_ms: closedObject({ p50: { type: ['number', 'null'] }, p99: { type: ['number', 'null'] }, samples: count }),
              signals: closedObject({ traces: signalCounters, metrics: signalCounters, logs: signalCounters }),
              responses: { type: 'object', description: 'Responses of the export paths by HTTP status.', additionalProperties: count },
              uptime_s: count,
            }),
            timestamp: { type: 'string', format: 'date-time' },
          }),
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/api/otlp/health',
    operationId: 'otlpHealth',
    tag,
    summary: 'OTLP receiver health',
    security: 'none',
    responses: Object.fromEntries(
      (['200', '503'] as const).map((status) => [
        status,
        {
          description: status === '200' ? 'The database answers and the pipeline is healthy.' : 'The database does not answer, the pipeline keeps failing, or the server is shutting down.',
          content: {
            'application/json': closedObject(
              {
                status: { const: status === '200' ? 'ok' : 'error' },
                health: { const: status === '200' ? 'healthy' : 'unhealthy' },
                checks: closedObject({ database: { enum: ['ok', 'error'] }, pipeline: { enum: ['ok', 'error'] } }),
                ...(status === '200' ? {} : { reasons: { type: 'array', items: { type: 'string' }, minItems: 1 } }),
                active_pipelines: count,
                max_concurrent_pipelines: count,
                uptime_s: count,
                timestamp: { type: 'string', format: 'date-time' },
              },
            ),
          },
        },
      ]),
    ),
  },
  {
    method: 'GET',
    path: '/api/otlp/traces/{trace_id}',
    operationId: 'otlpGetTrace',
    tag,
    summary: 'Read a stored trace',
    description: 'Every stored span of the trace that the actor may read, as OTLP/JSON TracesData or (format=jaeger) Jaeger query JSON.',
    security: 'bearer',
    parameters: [
      { name: 'trace_id', in: 'path', required: true, description: '32 hex digits.', schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } },
      { name: 'format', in: 'query', description: 'otlp (default) or jaeger.', schema: { type: 'string', enum: ['otlp', 'jaeger'], default: 'otlp' } },
    ],
    responses: {
      '200': {
        description: 'The trace.',
        content: {
          'application/json': {
            anyOf: [
              { type: 'object', required: ['resourceSpans'], properties: { resourceSpans: { type: 'array', items: { type: 'object' } } }, description: 'OTLP/JSON TracesData.' },
              { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { type: 'object', required: ['traceID', 'spans'] } } }, description: 'Jaeger query JSON.' },
            ],
          },
        },
      },
      '400': failure('The trace id is not 32 hex digits, or the format is unknown.', 'json'),
      '401': failure('No valid bearer token.', 'json'),
      '404': failure('No stored span of the trace is visible to the actor.', 'json'),
      '429': failure('Too many failed authentications: retry after Retry-After.', 'json', true),
      '500': failure('A failure on the server side.', 'json'),
      '503': failure('The database is unavailable: retry after Retry-After.', 'json', true),
    },
  },
];
