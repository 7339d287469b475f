// Partial success (specification.md, "Partial Success"): an item that is individually invalid by the proto's rules
// is rejected and counted, the valid ones are kept, and error_message says why. Each case is checked in both
// encodings (the rules live after decoding, so they must agree).
import { describe, expect, it } from 'vitest';
import { decodeExport, type OtlpEncoding } from '../../src/otlp/index.ts';
import { jsonBytes, toOtlpJson } from './support/otlp-json.ts';
import { loadReferenceCodec } from './support/reference-codec.ts';

const codec = loadReferenceCodec();
const bytes = (length: number, fill = 1) => new Uint8Array(length).fill(fill);
const T0 = '1700000000000000000';
const T1 = '1700000001000000000';
const kv = (key: string, stringValue = 'v') => ({ key, value: { stringValue } });

function encode(
  encoding: OtlpEncoding,
  message: Parameters<typeof codec.encode>[0],
  value: Record<string, unknown>,
): Uint8Array {
  return encoding === 'protobuf' ? codec.encode(message, value) : jsonBytes(toOtlpJson(value));
}

const validSpan = (name: string, fields: Record<string, unknown> = {}) => ({
  traceId: bytes(16),
  spanId: bytes(8, 2),
  name,
  startTimeUnixNano: T0,
  endTimeUnixNano: T1,
  ...fields,
});

const spanCases: readonly [string, Record<string, unknown>, string][] = [
  ['a 15-byte trace id', { traceId: bytes(15) }, 'trace_id must be 16 bytes, got 15'],
  ['a missing trace id', { traceId: new Uint8Array(0) }, 'trace_id must be 16 bytes, got 0'],
  ['an all-zero trace id', { traceId: bytes(16, 0) }, 'trace_id is all zeros'],
  ['a 9-byte span id', { spanId: bytes(9) }, 'span_id must be 8 bytes, got 9'],
  ['an all-zero span id', { spanId: bytes(8, 0) }, 'span_id is all zeros'],
  ['a 4-byte parent span id', { parentSpanId: bytes(4) }, 'parent_span_id must be empty or 8 bytes, got 4'],
  ['no name', { name: '' }, 'name is empty (a span name is required)'],
  ['no start time', { startTimeUnixNano: '0' }, 'start_time_unix_nano is missing'],
  [
    'an end before its start',
    { endTimeUnixNano: '1699999999999999999' },
    'end_time_unix_nano is before start_time_unix_nano',
  ],
  [
    'a link with a short trace id',
    { links: [{ traceId: bytes(8), spanId: bytes(8) }] },
    'links[0].trace_id must be 16 bytes, got 8',
  ],
  [
    'a repeated attribute key',
    { attributes: [kv('k', 'a'), kv('x'), kv('k', 'b')] },
    'attributes repeat the key "k" (keys MUST be unique)',
  ],
];

describe.each(['protobuf', 'json'] as const)('spans, %s', (encoding) => {
  it.each(spanCases)('rejects a span with %s and keeps its valid neighbours', (_, fields, reason) => {
    const body = encode(encoding, 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', {
      resourceSpans: [{ scopeSpans: [{ spans: [validSpan('before'), validSpan('bad', fields), validSpan('after')] }] }],
    });
    const batch = decodeExport('traces', encoding, body);
    expect(batch.items.map((item) => item.name)).toEqual(['before', 'after']);
    expect(batch).toMatchObject({ received: 3, rejected: 1, partialSuccess: { rejected: 1 } });
    expect(batch.partialSuccess?.errorMessage).toBe(
      `Rejected 1 of 3 spans: resource_spans[0].scope_spans[0].spans[1]: ${reason}`,
    );
  });

  it('accepts the optional parts left out: kind, status, flags, parent, events, links, attributes', () => {
    const body = encode(encoding, 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', {
      resourceSpans: [{ scopeSpans: [{ spans: [validSpan('minimal', { parentSpanId: bytes(8, 0) })] }] }],
    });
    expect(decodeExport('traces', encoding, body)).toMatchObject({
      rejected: 0,
      partialSuccess: undefined,
      items: [{ kind: 0, kindName: 'SPAN_KIND_UNSPECIFIED', parentSpanId: '', status: { code: 0 }, flags: 0 }],
    });
  });
});

const metricsRequest = (metrics: readonly Record<string, unknown>[]) => ({
  resourceMetrics: [{ scopeMetrics: [{ metrics }] }],
});
const gauge = (name: string, dataPoints: readonly Record<string, unknown>[]) => ({ name, gauge: { dataPoints } });
const point = (fields: Record<string, unknown> = {}) => ({ timeUnixNano: T1, asDouble: 1, ...fields });

const pointCases: readonly [string, Record<string, unknown>, string][] = [
  [
    'a gauge point without a value',
    gauge('g', [point({ asDouble: undefined })]),
    'the data point has no value (as_double or as_int)',
  ],
  ['a point at time 0', gauge('g', [point({ timeUnixNano: '0' })]), 'time_unix_nano is 0'],
  ['a metric without a name', gauge('', [point()]), 'the metric has no name'],
  [
    'a sum without temporality',
    { name: 's', sum: { dataPoints: [point()] } },
    'aggregation_temporality is UNSPECIFIED',
  ],
  [
    'an exemplar with a 15-byte trace id',
    gauge('g', [point({ exemplars: [{ timeUnixNano: T0, asInt: '1', traceId: bytes(15), spanId: bytes(8) }] })]),
    'exemplars[0].trace_id must be empty or 16 bytes, got 15',
  ],
  [
    'an exemplar with a 7-byte span id',
    gauge('g', [point({ exemplars: [{ timeUnixNano: T0, asInt: '1', spanId: bytes(7) }] })]),
    'exemplars[0].span_id must be empty or 8 bytes, got 7',
  ],
  [
    'an exemplar without a value',
    gauge('g', [point({ exemplars: [{ timeUnixNano: T0 }] })]),
    'exemplars[0] has no value (as_double or as_int)',
  ],
  [
    'histogram buckets that do not match the bounds',
    {
      name: 'h',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [{ timeUnixNano: T1, count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2] }],
      },
    },
    'bucket_counts has 2 elements, expected explicit_bounds + 1 = 3',
  ],
  [
    'histogram bounds without buckets',
    {
      name: 'h',
      histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T1, count: '3', explicitBounds: [1] }] },
    },
    'explicit_bounds has 1 elements but bucket_counts is empty',
  ],
  [
    'histogram bounds that do not increase',
    {
      name: 'h',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [{ timeUnixNano: T1, count: '3', bucketCounts: ['1', '1', '1'], explicitBounds: [2, 1] }],
      },
    },
    'explicit_bounds are not strictly increasing',
  ],
  [
    'a histogram count that is not the sum of its buckets',
    {
      name: 'h',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [{ timeUnixNano: T1, count: '5', bucketCounts: ['1', '1'], explicitBounds: [1] }],
      },
    },
    'count 5 differs from the sum of bucket_counts 2',
  ],
  [
    'an exponential histogram count that is not zero_count + buckets',
    {
      name: 'e',
      exponentialHistogram: {
        aggregationTemporality: 1,
        dataPoints: [{ timeUnixNano: T1, count: '9', zeroCount: '1', positive: { bucketCounts: ['2'] } }],
      },
    },
    'count 9 differs from zero_count + bucket counts 3',
  ],
  [
    'a summary quantile above 1',
    { name: 'q', summary: { dataPoints: [{ timeUnixNano: T1, quantileValues: [{ quantile: 1.5, value: 1 }] }] } },
    'quantile_values[0].quantile 1.5 is outside [0, 1]',
  ],
  [
    'a negative summary quantile value',
    { name: 'q', summary: { dataPoints: [{ timeUnixNano: T1, quantileValues: [{ quantile: 0.5, value: -1 }] }] } },
    'quantile_values[0].value -1 is negative',
  ],
  [
    'summary quantiles out of order',
    {
      name: 'q',
      summary: {
        dataPoints: [
          {
            timeUnixNano: T1,
            quantileValues: [
              { quantile: 0.9, value: 1 },
              { quantile: 0.5, value: 1 },
            ],
          },
        ],
      },
    },
    'quantile_values are not strictly increasing',
  ],
  [
    'a repeated attribute key',
    gauge('g', [point({ attributes: [kv('a'), kv('a')] })]),
    'attributes repeat the key "a" (keys MUST be unique)',
  ],
];

describe.each(['protobuf', 'json'] as const)('metric data points, %s', (encoding) => {
  const message = 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest';

  it.each(pointCases)('rejects %s and keeps the valid points', (_, metric, reason) => {
    const body = encode(encoding, message, metricsRequest([gauge('ok', [point(), point({ asDouble: 2 })]), metric]));
    const batch = decodeExport('metrics', encoding, body);
    expect(batch.items.map((item) => item.metric.name)).toEqual(['ok', 'ok']);
    expect(batch).toMatchObject({ received: 3, rejected: 1, partialSuccess: { rejected: 1 } });
    expect(batch.partialSuccess?.errorMessage).toBe(
      `Rejected 1 of 3 data points: resource_metrics[0].scope_metrics[0].metrics[1].data_points[0]: ${reason}`,
    );
  });

  it('accepts a point flagged NO_RECORDED_VALUE without a value, and histograms without buckets', () => {
    const body = encode(
      encoding,
      message,
      metricsRequest([
        gauge('stale', [{ timeUnixNano: T1, flags: 1 }]),
        {
          name: 'h',
          histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T1, count: '4', sum: 10 }] },
        },
      ]),
    );
    expect(decodeExport('metrics', encoding, body)).toMatchObject({
      received: 2,
      rejected: 0,
      partialSuccess: undefined,
    });
  });

  it('warns (rejected 0) about a metric that carries no data at all', () => {
    const batch = decodeExport(
      'metrics',
      encoding,
      encode(encoding, message, metricsRequest([{ name: 'empty' }, gauge('g', [point()])])),
    );
    expect(batch).toMatchObject({ received: 1, rejected: 0, items: [{ metric: { name: 'g' } }] });
    expect(batch.partialSuccess).toEqual({
      rejected: 0,
      errorMessage:
        'Accepted all 1 data points, with warnings: resource_metrics[0].scope_metrics[0].metrics[0]: metric "empty" has no data (gauge, sum, histogram, exponential_histogram or summary); nothing stored',
    });
  });
});

describe.each(['protobuf', 'json'] as const)('log records, %s', (encoding) => {
  const message = 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest';
  const logs = (logRecords: readonly Record<string, unknown>[]) => ({
    resourceLogs: [{ scopeLogs: [{ logRecords }] }],
  });

  it('keeps a record whose trace/span ids are invalid, without them, and says so (logs.proto: not associated)', () => {
    const body = encode(
      encoding,
      message,
      logs([
        { body: { stringValue: 'a' }, traceId: bytes(3), spanId: bytes(8) },
        { traceId: bytes(16, 0), spanId: bytes(8, 0) },
      ]),
    );
    const batch = decodeExport('logs', encoding, body);
    expect(batch.items.map((item) => [item.traceId, item.spanId])).toEqual([
      ['', '0101010101010101'],
      ['', ''],
    ]);
    expect(batch.partialSuccess).toEqual({
      rejected: 0,
      errorMessage:
        'Accepted all 2 log records, with warnings: resource_logs[0].scope_logs[0].log_records[0]: trace_id must be 16 bytes, got 3; the record was kept without it',
    });
  });

  it('rejects a record whose attributes repeat a key', () => {
    const batch = decodeExport(
      'logs',
      encoding,
      encode(encoding, message, logs([{ attributes: [kv('a'), kv('a')] }, {}])),
    );
    expect(batch).toMatchObject({ received: 2, rejected: 1, partialSuccess: { rejected: 1 } });
    expect(batch.items).toHaveLength(1);
  });
});

it('lists the first five reasons and counts the rest', () => {
  const spans = Array.from({ length: 8 }, (_, i) => validSpan(`s${i}`, { name: '' }));
  const batch = decodeExport(
    'traces',
    'protobuf',
    codec.encode('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', {
      resourceSpans: [{ scopeSpans: [{ spans: [...spans, validSpan('ok')] }] }],
    }),
  );
  expect(batch).toMatchObject({ received: 9, rejected: 8, items: [{ name: 'ok' }] });
  const message = batch.partialSuccess?.errorMessage ?? '';
  expect(message.startsWith('Rejected 8 of 9 spans: resource_spans[0].scope_spans[0].spans[0]: name is empty')).toBe(
    true,
  );
  expect(message.match(/name is empty/g)).toHaveLength(5);
  expect(message.endsWith('; and 3 more')).toBe(true);
});
