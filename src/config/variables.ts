import { boolean, decimal, integer, oneOf, optionalOneOf, optionalText, optionalUrl, secret, text, url } from './parsers.ts';

const mib = 1024 * 1024;
const maxMs = 24 * 60 * 60 * 1000;

/**
 * Every environment variable the server reads, with the seed's names and defaults (config/config.exs,
 * origin-system.md §7). One table: it drives parsing, validation, redaction and the README's configuration table.
 */
export const variables = {
  PORT: integer(4000, 0, 65535, 'HTTP port.'),
  HOST: text('127.0.0.1', 'Interface to listen on; 0.0.0.0 to accept connections from other machines.'),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'Log level (pino).'),
  GIT_SHA: text('dev', 'Build identifier reported by /api/health.'),
  API_ADMIN_TOKEN: secret(optionalText('Bearer token of the admin actor (at least 16 characters). Unset with the embedded database: generated into DATA_DIR/admin-token and printed at start; otherwise required.')),
  AGENT_REGISTRATION: optionalOneOf(['open', 'admin'], 'Who may register agents: open (anyone) or admin. Default: open with the embedded database, admin otherwise.'),
  OTLP_INGEST_TOKENS: secret(optionalText('Comma-separated bearer tokens collectors use on the OTLP routes. Unset: OTLP ingest is open.')),
  METRICS_TOKENS: secret(optionalText('Comma-separated bearer tokens Prometheus scrapes /metrics with (the admin token works too).')),
  DATA_DIR: text('.data', 'Local state: the embedded PostgreSQL cluster and generated development secrets.'),

  DATABASE_URL: secret(optionalUrl('PostgreSQL connection URL; wins over the DATABASE_* parts.', ['postgres:', 'postgresql:'])),
  DATABASE_USERNAME: text('postgres', 'PostgreSQL user (when DATABASE_HOST or DATABASE_NAME is set).'),
  DATABASE_PASSWORD: secret(text('postgres', 'PostgreSQL password.')),
  DATABASE_HOST: optionalText('PostgreSQL host; setting it (or DATABASE_NAME) selects an external server over the embedded one. Default localhost.'),
  DATABASE_PORT: integer(5432, 1, 65535, 'PostgreSQL port of DATABASE_HOST.'),
  DATABASE_NAME: optionalText('PostgreSQL database. Default ai_self_sustaining_v2_dev.'),
  DATABASE_POOL_SIZE: integer(10, 1, 1000, 'Connections in the pool.'),
  DATABASE_STATEMENT_TIMEOUT: integer(
    30000,
    0,
    maxMs,
    "Longest one SQL statement may run or wait for a lock (ms; PostgreSQL's statement_timeout); the request then gets 503 with Retry-After. 0: no limit.",
  ),

  OTLP_MAX_CONCURRENT_PIPELINES: integer(5, 1, 1000, 'OTLP requests processed at once; more wait in a bounded queue, then get 429.'),
  OTLP_PIPELINE_TIMEOUT_MS: integer(60000, 1, maxMs, 'Time limit of one pipeline run.'),
  OTLP_MAX_BODY_BYTES: integer(64 * mib, 1024, 1024 * mib, 'Largest OTLP body accepted, after gzip decompression.'),
  OTLP_TRACE_SAMPLING_STRATEGY: oneOf(
    ['probabilistic', 'tail_based', 'error_biased', 'service_aware', 'rate_limited'],
    'probabilistic',
    'How traces are sampled for export.',
  ),
  OTLP_TRACE_SAMPLING_RATE: decimal(0.1, 0, 1, 'Share of traces exported.'),
  OTLP_METRIC_SAMPLING_STRATEGY: oneOf(['time_based', 'value_based', 'statistical'], 'time_based', 'How metrics are sampled for export.'),
  OTLP_LOG_SAMPLING_STRATEGY: oneOf(['severity_based', 'probabilistic', 'burst_detection'], 'severity_based', 'How logs are sampled for export.'),
  OTLP_ERROR_SAMPLING_RATE: decimal(1, 0, 1, 'Share of error traces exported.'),
  OTLP_DATA_VALIDATION: boolean(true, 'Validate OTLP items before storing them.'),
  OTLP_TELEMETRY_MODE: oneOf(['full', 'minimal', 'off'], 'full', 'How much of its own telemetry the server feeds into the pipeline.'),
  OTLP_COMPRESSION: boolean(false, 'Compress batches sent to the exporters.'),

  JAEGER_ENDPOINT: url('http://localhost:14268/api/traces', 'Jaeger collector HTTP endpoint.'),
  JAEGER_BATCH_SIZE: integer(100, 1, 100000, 'Spans per Jaeger batch.'),
  JAEGER_TIMEOUT_MS: integer(10000, 1, maxMs, 'Jaeger request timeout.'),
  JAEGER_RETRY_ATTEMPTS: integer(3, 0, 100, 'Jaeger retries.'),
  PROMETHEUS_ENDPOINT: url('http://localhost:9090/api/v1/write', 'Prometheus remote-write endpoint.'),
  PROMETHEUS_BATCH_SIZE: integer(1000, 1, 100000, 'Samples per remote-write request.'),
  PROMETHEUS_TIMEOUT_MS: integer(5000, 1, maxMs, 'Remote-write timeout.'),
  PROMETHEUS_RETRY_ATTEMPTS: integer(2, 0, 100, 'Remote-write retries.'),
  ELASTICSEARCH_ENDPOINT: url('http://localhost:9200', 'Elasticsearch base URL (the _bulk API is used).'),
  ELASTICSEARCH_INDEX: text('telemetry', 'Elasticsearch index.'),
  ELASTICSEARCH_BATCH_SIZE: integer(500, 1, 100000, 'Documents per bulk request.'),
  ELASTICSEARCH_TIMEOUT_MS: integer(15000, 1, maxMs, 'Bulk request timeout.'),
  ELASTICSEARCH_RETRY_ATTEMPTS: integer(3, 0, 100, 'Bulk retries.'),

  DEPLOYMENT_ENVIRONMENT: text('development', 'Enrichment: deployment.environment.'),
  DEPLOYMENT_REGION: text('local', 'Enrichment: cloud.region.'),
  DEPLOYMENT_CLUSTER: text('local', 'Enrichment: k8s.cluster.name.'),
  DEPLOYMENT_NAMESPACE: text('default', 'Enrichment: k8s.namespace.name.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url('http://localhost:4318', "Where the server's own OpenTelemetry data goes."),

  AGENT_HEARTBEAT_INTERVAL: integer(30000, 1, maxMs, 'Expected heartbeat interval (ms); 3 missed intervals read as offline.'),
  WORK_CLAIM_TIMEOUT: integer(300000, 1, maxMs, 'Lease of a claimed or in-progress work item (ms).'),
  LEASE_SWEEP_INTERVAL: integer(5000, 10, maxMs, 'How often expired work-item leases are returned to pending (ms).'),
  MAX_CONCURRENT_WORK: integer(10, 1, 100000, 'Claimed or in-progress items one agent may hold.'),

  N8N_API_URL: url('http://localhost:5678/api/v1', 'n8n REST API.'),
  N8N_API_KEY: secret(text('', 'n8n API key.')),
  N8N_WEBHOOK_URL: url('http://localhost:4000/api/webhooks/n8n', 'Base URL n8n calls back.'),
  N8N_WEBHOOK_USERNAME: text('webhook_user', 'Basic-auth user n8n uses on our webhooks.'),
  N8N_WEBHOOK_PASSWORD: secret(text('webhook_pass', 'Basic-auth password n8n uses on our webhooks.')),
  N8N_TIMEOUT_MS: integer(30000, 1, maxMs, 'n8n request timeout.'),
  GRAFANA_HOST: url('http://localhost:3000', 'Grafana, for dashboard upload.'),
  GRAFANA_TOKEN: secret(text('', 'Grafana API token.')),
} as const;

export type VariableName = keyof typeof variables;
