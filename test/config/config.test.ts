import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig, redactUrl } from '../../src/config/config.ts';
import { variables } from '../../src/config/variables.ts';
import { databaseSource } from '../../src/db/connection.ts';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('defaults (the seed config.exs names and values)', () => {
  const config = loadConfig({});
  it.each([
    ['PORT', 4000],
    ['HOST', '127.0.0.1'],
    ['DATABASE_USERNAME', 'postgres'],
    ['DATABASE_PASSWORD', 'postgres'],
    ['DATABASE_POOL_SIZE', 10],
    ['OTLP_MAX_CONCURRENT_PIPELINES', 5],
    ['OTLP_TRACE_SAMPLING_RATE', 0.1],
    ['OTLP_TRACE_SAMPLING_STRATEGY', 'probabilistic'],
    ['OTLP_METRIC_SAMPLING_STRATEGY', 'time_based'],
    ['OTLP_LOG_SAMPLING_STRATEGY', 'severity_based'],
    ['OTLP_ERROR_SAMPLING_RATE', 1],
    ['OTLP_PIPELINE_TIMEOUT_MS', 60000],
    ['JAEGER_ENDPOINT', 'http://localhost:14268/api/traces'],
    ['PROMETHEUS_ENDPOINT', 'http://localhost:9090/api/v1/write'],
    ['ELASTICSEARCH_ENDPOINT', 'http://localhost:9200'],
    ['AGENT_HEARTBEAT_INTERVAL', 30000],
    ['WORK_CLAIM_TIMEOUT', 300000],
    ['MAX_CONCURRENT_WORK', 10],
    ['N8N_API_URL', 'http://localhost:5678/api/v1'],
    ['N8N_WEBHOOK_URL', 'http://localhost:4000/api/webhooks/n8n'],
  ] as const)('%s defaults to %s', (name, value) => {
    expect(config[name]).toBe(value);
  });

  it('parses valid overrides into typed values', () => {
    const custom = loadConfig({ PORT: '8080', OTLP_TRACE_SAMPLING_RATE: '0.25', OTLP_COMPRESSION: 'true', LOG_LEVEL: 'debug' });
    expect([custom.PORT, custom.OTLP_TRACE_SAMPLING_RATE, custom.OTLP_COMPRESSION, custom.LOG_LEVEL]).toEqual([8080, 0.25, true, 'debug']);
  });
});

describe('a bad value stops the start with one line naming the variable, the value and what is allowed', () => {
  it.each([
    ['OTLP_TRACE_SAMPLING_RATE', 'abc', 'OTLP_TRACE_SAMPLING_RATE="abc" is not allowed: expected a number from 0 to 1'],
    ['OTLP_TRACE_SAMPLING_RATE', '1.5', 'OTLP_TRACE_SAMPLING_RATE="1.5" is not allowed: expected a number from 0 to 1'],
    ['DATABASE_POOL_SIZE', '0', 'DATABASE_POOL_SIZE="0" is not allowed: expected an integer from 1 to 1000'],
    ['PORT', '4000.5', 'PORT="4000.5" is not allowed: expected an integer from 0 to 65535'],
    ['PORT', '70000', 'PORT="70000" is not allowed: expected an integer from 0 to 65535'],
    ['OTLP_TRACE_SAMPLING_STRATEGY', 'random', 'OTLP_TRACE_SAMPLING_STRATEGY="random" is not allowed: expected one of probabilistic, tail_based, error_biased, service_aware, rate_limited'],
    ['OTLP_COMPRESSION', 'maybe', 'OTLP_COMPRESSION="maybe" is not allowed: expected true or false'],
    ['JAEGER_ENDPOINT', 'localhost:14268', 'JAEGER_ENDPOINT="localhost:14268" is not allowed: expected a URL starting with http:// or https://'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL="loud" is not allowed: expected one of fatal, error, warn, info, debug, trace, silent'],
    ['WORK_CLAIM_TIMEOUT', '-1', 'WORK_CLAIM_TIMEOUT="-1" is not allowed: expected an integer from 1 to 86400000'],
  ])('%s=%s', (name, value, line) => {
    expect(problemsOf({ [name]: value })).toEqual([line]);
  });

  it('lists every bad variable, one line each', () => {
    expect(problemsOf({ PORT: 'x', MAX_CONCURRENT_WORK: '0' })).toHaveLength(2);
  });

  it('never prints a secret value, even when it is the bad one', () => {
    const [line] = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/app' });
    expect(line).toBe('DATABASE_URL=<redacted> is not allowed: expected a URL starting with postgres:// or postgresql://');
  });
});

describe('redaction', () => {
  it('replaces every secret in the printable configuration', () => {
    const printable = JSON.stringify(
      redactConfig(loadConfig({ N8N_API_KEY: 'n8n-secret-1', API_ADMIN_TOKEN: 'admin-secret-2', DATABASE_PASSWORD: 'pw-secret-3', DATABASE_URL: 'postgres://u:pw-secret-4@h/db' })),
    );
    for (const secret of ['n8n-secret-1', 'admin-secret-2', 'pw-secret-3', 'pw-secret-4']) expect(printable).not.toContain(secret);
  });

  it('marks the credentials as secrets', () => {
    const secrets = Object.entries(variables).filter(([, spec]) => spec.secret).map(([name]) => name).sort();
    expect(secrets).toEqual(['API_ADMIN_TOKEN', 'DATABASE_PASSWORD', 'DATABASE_URL', 'GRAFANA_TOKEN', 'METRICS_TOKENS', 'N8N_API_KEY', 'N8N_WEBHOOK_PASSWORD', 'OTLP_INGEST_TOKENS']);
  });

  it('redacts the password of a connection URL', () => {
    expect(redactUrl('postgres://app:s3cret@db.internal:5432/prod')).toBe('postgres://app:<redacted>@db.internal:5432/prod');
  });
});

describe('database selection (DESIGN §5)', () => {
  it('DATABASE_URL wins', () => {
    expect(databaseSource(loadConfig({ DATABASE_URL: 'postgres://a@h/d', DATABASE_HOST: 'other' }))).toEqual({ kind: 'url', connectionString: 'postgres://a@h/d' });
  });
  it('the seed DATABASE_* parts when DATABASE_HOST or DATABASE_NAME is set', () => {
    expect(databaseSource(loadConfig({ DATABASE_HOST: 'db.local', DATABASE_PASSWORD: 'p@ss' }))).toEqual({
      kind: 'parts',
      connectionString: 'postgres://postgres:p%40ss@db.local:5432/ai_self_sustaining_v2_dev',
    });
  });
  it('the embedded server otherwise', () => {
    expect(databaseSource(loadConfig({}))).toEqual({ kind: 'embedded', dataDir: '.data' });
  });
});
