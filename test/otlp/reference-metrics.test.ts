// Oracle for what the OpenTelemetry JS SDK cannot send: summaries, exemplars, unset optional fields, negative
// sfixed64/sint32 values, NO_RECORDED_VALUE points and metric metadata. Fixtures are encoded by protobufjs reflection
// over the official metrics.proto (and written as OTLP/JSON the way the spec spells it), then decoded by ours.
import { describe, expect, it } from 'vitest';
import { decodeExport, type DataPointItem, type OtlpEncoding } from '../../src/otlp/index.ts';
import { jsonBytes, toOtlpJson } from './support/otlp-json.ts';
import { plainAttributes } from './support/plain.ts';
import { loadReferenceCodec } from './support/reference-codec.ts';

const traceId = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const spanId = Uint8Array.from({ length: 8 }, (_, i) => 0xb0 + i);
const t0 = '1700000000123456789';
const t1 = '1700000060987654321';
const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

const request = {
  resourceMetrics: [
    {
      resource: { attributes: [kv('service.name', { stringValue: 'legacy-exporter' })] },
      schemaUrl: 'https://example.com/resource-schema',
      scopeMetrics: [
        {
          scope: { name: 'prometheus.bridge', version: '0.1' },
          metrics: [
            {
              name: 'rpc.duration',
              description: 'RPC latency summary',
              unit: 's',
              metadata: [kv('prometheus.type', { stringValue: 'summary' })],
              summary: {
                dataPoints: [
                  {
                    attributes: [kv('method', { stringValue: 'Get' })],
                    startTimeUnixNano: t0,
                    timeUnixNano: t1,
                    count: '1000',
                    sum: 12.75,
                    quantileValues: [
                      { quantile: 0, value: 0.001 },
                      { quantile: 0.5, value: 0.01 },
                      { quantile: 0.99, value: 0.2 },
                      { quantile: 1, value: 0.9 },
                    ],
                  },
                  { attributes: [kv('method', { stringValue: 'Put' })], timeUnixNano: t1, count: '0', sum: 0 },
                ],
              },
            },
            {
              name: 'cpu.temperature',
              unit: 'Cel',
              gauge: {
                dataPoints: [
                  {
                    attributes: [kv('core', { intValue: '3' })],
                    timeUnixNano: t1,
                    asDouble: 71.5,
                    exemplars: [
                      {
                        filteredAttributes: [kv('thread', { stringValue: 'main' })],
                        timeUnixNano: t0,
                        asInt: '-5',
                        traceId,
                        spanId,
                      },
                      { timeUnixNano: t0, asDouble: 70.25 },
                    ],
                  },
                  // "valid but has no recorded value" (DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK = 1): a staleness marker.
                  { attributes: [kv('core', { intValue: '4' })], timeUnixNano: t1, flags: 1 },
                ],
              },
            },
            {
              name: 'ledger.balance',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: false,
                dataPoints: [{ startTimeUnixNano: t0, timeUnixNano: t1, asInt: '-4611686018427387904' }],
              },
            },
            {
              name: 'queue.wait',
              unit: 'ms',
              histogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    startTimeUnixNano: t0,
                    timeUnixNano: t1,
                    count: '6',
                    bucketCounts: ['1', '2', '3'],
                    explicitBounds: [10, 100],
                    exemplars: [{ timeUnixNano: t0, asDouble: 42, traceId, spanId }],
                  },
                ],
              },
            },
            {
              name: 'delta.skew',
              exponentialHistogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    timeUnixNano: t1,
                    count: '10',
                    sum: -3.5,
                    scale: -2,
                    zeroCount: '1',
                    zeroThreshold: 0.0001,
                    positive: { offset: -3, bucketCounts: ['2', '0', '4'] },
                    negative: { offset: 5, bucketCounts: ['3'] },
                    min: -12,
                    max: 40,
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

const codec = loadReferenceCodec();
const bodies = {
  protobuf: () => codec.encode('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest', request),
  json: () => jsonBytes(toOtlpJson(request)),
} satisfies Record<OtlpEncoding, () => Uint8Array>;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const pointOf = (items: readonly DataPointItem[], name: string, index = 0) =>
  items.filter((item) => item.metric.name === name)[index];

describe.each(['protobuf', 'json'] as const)('metric types beyond the SDK, %s', (encoding) => {
  const batch = decodeExport('metrics', encoding, bodies[encoding]());

  it('accepts all seven points', () => {
    expect(batch).toMatchObject({ received: 7, rejected: 0, partialSuccess: undefined });
  });

  it('decodes summaries (count, sum, quantiles) as points of type summary', () => {
    const get = pointOf(batch.items, 'rpc.duration');
    expect(get).toMatchObject({
      type: 'summary',
      metric: { name: 'rpc.duration', description: 'RPC latency summary', unit: 's' },
      aggregationTemporality: 0,
      isMonotonic: false,
      startTimeUnixNano: BigInt(t0),
      timeUnixNano: BigInt(t1),
      count: 1000n,
      sum: 12.75,
      quantileValues: [
        { quantile: 0, value: 0.001 },
        { quantile: 0.5, value: 0.01 },
        { quantile: 0.99, value: 0.2 },
        { quantile: 1, value: 0.9 },
      ],
    });
    expect(plainAttributes(get?.metric.metadata ?? [])).toEqual({ 'prometheus.type': 'summary' });
    expect(pointOf(batch.items, 'rpc.duration', 1)).toMatchObject({
      count: 0n,
      sum: 0,
      quantileValues: [],
      startTimeUnixNano: 0n,
    });
  });

  it('decodes exemplars with int and double values, hex ids and filtered attributes', () => {
    const point = pointOf(batch.items, 'cpu.temperature');
    expect(point).toMatchObject({ type: 'gauge', value: 71.5 });
    expect(point?.exemplars).toHaveLength(2);
    expect(point?.exemplars[0]).toMatchObject({
      timeUnixNano: BigInt(t0),
      value: -5n,
      traceId: hex(traceId),
      spanId: hex(spanId),
    });
    expect(plainAttributes(point?.exemplars[0]?.filteredAttributes ?? [])).toEqual({ thread: 'main' });
    expect(point?.exemplars[1]).toMatchObject({ value: 70.25, traceId: '', spanId: '' });
    expect(pointOf(batch.items, 'queue.wait')?.exemplars[0]).toMatchObject({ value: 42, traceId: hex(traceId) });
  });

  it('keeps a NO_RECORDED_VALUE point without a value', () => {
    expect(pointOf(batch.items, 'cpu.temperature', 1)).toMatchObject({ flags: 1, noRecordedValue: true, value: null });
  });

  it('keeps negative sfixed64 values exact', () => {
    expect(pointOf(batch.items, 'ledger.balance')).toMatchObject({
      type: 'sum',
      value: -(2n ** 62n),
      isMonotonic: false,
      aggregationTemporality: 2,
    });
  });

  it('leaves unset optional sum/min/max undefined, and decodes negative scales and offsets', () => {
    expect(pointOf(batch.items, 'queue.wait')).toMatchObject({
      type: 'histogram',
      count: 6n,
      bucketCounts: [1n, 2n, 3n],
      explicitBounds: [10, 100],
      sum: undefined,
      min: undefined,
      max: undefined,
    });
    expect(pointOf(batch.items, 'delta.skew')).toMatchObject({
      type: 'exponential_histogram',
      count: 10n,
      sum: -3.5,
      scale: -2,
      zeroCount: 1n,
      zeroThreshold: 0.0001,
      positive: { offset: -3, bucketCounts: [2n, 0n, 4n] },
      negative: { offset: 5, bucketCounts: [3n] },
      min: -12,
      max: 40,
    });
  });

  it('applies ResourceMetrics.schema_url to the resource', () => {
    expect(batch.items[0]?.resource.schemaUrl).toBe('https://example.com/resource-schema');
  });
});
