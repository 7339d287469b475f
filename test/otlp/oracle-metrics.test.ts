// Oracle: metrics collected by the OpenTelemetry JS SDK (every type it has: sum, gauge, histogram, exponential
// histogram; delta and cumulative; int and double), encoded by the official otlp-transformer, decoded by ours.
import { ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InstrumentType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { decodeExport, type DataPointItem, type OtlpEncoding } from '../../src/otlp/index.ts';
import { hrTimeNanos, plainAttributes } from './support/plain.ts';

/** A pull reader: `collect()` on demand, no timers. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function sdkMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader({
    aggregationTemporalitySelector: (instrument) =>
      instrument === InstrumentType.COUNTER ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'test' }),
    readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('oracle.meter', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });

  const requests = meter.createCounter('http.requests', {
    description: 'Requests served',
    unit: '{request}',
    valueType: ValueType.INT,
  });
  requests.add(5, { route: '/users' });
  requests.add(3, { route: '/orders', method: 'POST' });
  const bytes = meter.createCounter('bytes.sent', { unit: 'By', valueType: ValueType.DOUBLE });
  bytes.add(1.5);
  const queue = meter.createUpDownCounter('queue.depth', { valueType: ValueType.INT });
  queue.add(4);
  queue.add(-6);
  const temperature = meter.createGauge('room.temperature', { unit: 'Cel' });
  temperature.record(21.5, { room: 'a' });
  meter
    .createObservableGauge('process.threads', { valueType: ValueType.INT })
    .addCallback((result) => result.observe(12, { pool: 'io' }));
  const latency = meter.createHistogram('http.latency', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [0, 10, 100] },
  });
  for (const value of [1, 5, 50, 500, 0]) latency.record(value, { route: '/users' });
  const sizes = meter.createHistogram('payload.size', { unit: 'By' });
  for (const value of [0, 1, 2, 3, 1000, 1_000_000]) sizes.record(value);

  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

const serializers = {
  protobuf: (metrics: ResourceMetrics) => ProtobufMetricsSerializer.serializeRequest(metrics),
  json: (metrics: ResourceMetrics) => JsonMetricsSerializer.serializeRequest(metrics),
} satisfies Record<OtlpEncoding, (metrics: ResourceMetrics) => Uint8Array | undefined>;

const typeOf = {
  [DataPointType.SUM]: 'sum',
  [DataPointType.GAUGE]: 'gauge',
  [DataPointType.HISTOGRAM]: 'histogram',
  [DataPointType.EXPONENTIAL_HISTOGRAM]: 'exponential_histogram',
} as const;

/** The SDK's temporality (DELTA = 0, CUMULATIVE = 1) on the wire (DELTA = 1, CUMULATIVE = 2). */
const wireTemporality = (temporality: AggregationTemporality): number =>
  temporality === AggregationTemporality.DELTA ? 1 : 2;

/** What an OTLP data point must say, derived from the SDK metric and point (metrics.proto semantics). */
function expectedPoint(metric: MetricData, point: DataPoint<unknown>): Record<string, unknown> {
  const common = {
    metric: { name: metric.descriptor.name, description: metric.descriptor.description, unit: metric.descriptor.unit },
    type: typeOf[metric.dataPointType],
    attributes: point.attributes,
    startTimeUnixNano: hrTimeNanos(point.startTime),
    timeUnixNano: hrTimeNanos(point.endTime),
    flags: 0,
    noRecordedValue: false,
    exemplars: [],
  };
  switch (metric.dataPointType) {
    case DataPointType.GAUGE:
      return {
        ...common,
        aggregationTemporality: 0,
        isMonotonic: false,
        value: numberValue(metric.descriptor.valueType, point.value),
      };
    case DataPointType.SUM:
      return {
        ...common,
        aggregationTemporality: wireTemporality(metric.aggregationTemporality),
        isMonotonic: metric.isMonotonic,
        value: numberValue(metric.descriptor.valueType, point.value),
      };
    case DataPointType.HISTOGRAM: {
      const histogram = point.value as Histogram;
      return {
        ...common,
        aggregationTemporality: wireTemporality(metric.aggregationTemporality),
        isMonotonic: false,
        count: BigInt(histogram.count),
        sum: histogram.sum,
        min: histogram.min,
        max: histogram.max,
        bucketCounts: histogram.buckets.counts.map(BigInt),
        explicitBounds: histogram.buckets.boundaries,
      };
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM: {
      const histogram = point.value as ExponentialHistogram;
      return {
        ...common,
        aggregationTemporality: wireTemporality(metric.aggregationTemporality),
        isMonotonic: false,
        count: BigInt(histogram.count),
        sum: histogram.sum,
        min: histogram.min,
        max: histogram.max,
        scale: histogram.scale,
        zeroCount: BigInt(histogram.zeroCount),
        zeroThreshold: 0,
        positive: { offset: histogram.positive.offset, bucketCounts: histogram.positive.bucketCounts.map(BigInt) },
        negative: { offset: histogram.negative.offset, bucketCounts: histogram.negative.bucketCounts.map(BigInt) },
      };
    }
  }
}

/** INT instruments travel as `as_int` (bigint here), DOUBLE ones as `as_double`. */
const numberValue = (valueType: ValueType, value: unknown): unknown =>
  valueType === ValueType.INT ? BigInt(Number(value)) : value;

function actualPoint(item: DataPointItem): Record<string, unknown> {
  const { resource: _resource, scope: _scope, aggregationTemporalityName: _name, metric, attributes, ...rest } = item;
  return {
    ...rest,
    metric: { name: metric.name, description: metric.description, unit: metric.unit },
    attributes: plainAttributes(attributes),
  };
}

const sameAttributes = (item: DataPointItem, attributes: Record<string, unknown>): boolean =>
  JSON.stringify(plainAttributes(item.attributes)) === JSON.stringify(attributes);

describe.each(['protobuf', 'json'] as const)('metrics from the OpenTelemetry JS SDK, %s', (encoding) => {
  it('decodes every data point of every metric type to the values the SDK collected', async () => {
    const metrics = await sdkMetrics();
    const body = serializers[encoding](metrics);
    if (body === undefined) throw new Error('the SDK serializer produced no body');
    const batch = decodeExport('metrics', encoding, body);

    const sdkPoints = metrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        (metric.dataPoints as DataPoint<unknown>[]).map((point) => ({ metric, point })),
      ),
    );
    expect(new Set(sdkPoints.map(({ metric }) => metric.dataPointType))).toEqual(
      new Set([DataPointType.SUM, DataPointType.GAUGE, DataPointType.HISTOGRAM, DataPointType.EXPONENTIAL_HISTOGRAM]),
    );
    expect(batch).toMatchObject({ received: sdkPoints.length, rejected: 0, partialSuccess: undefined });
    expect(batch.items).toHaveLength(sdkPoints.length);

    for (const { metric, point } of sdkPoints) {
      const item = batch.items.find(
        (candidate) => candidate.metric.name === metric.descriptor.name && sameAttributes(candidate, point.attributes),
      );
      expect(item, metric.descriptor.name).toBeDefined();
      if (item !== undefined) expect(actualPoint(item), metric.descriptor.name).toEqual(expectedPoint(metric, point));
    }
  });

  it('carries resource, scope, temporality names and the monotonic flag on each point', async () => {
    const metrics = await sdkMetrics();
    const batch = decodeExport('metrics', encoding, serializers[encoding](metrics) ?? new Uint8Array());
    const byName = new Map(batch.items.map((item) => [item.metric.name, item]));
    expect(byName.get('http.requests')).toMatchObject({
      type: 'sum',
      isMonotonic: true,
      aggregationTemporalityName: 'AGGREGATION_TEMPORALITY_DELTA',
    });
    expect(byName.get('queue.depth')).toMatchObject({ type: 'sum', isMonotonic: false, value: -2n });
    expect(byName.get('http.latency')?.aggregationTemporalityName).toBe('AGGREGATION_TEMPORALITY_CUMULATIVE');
    expect(byName.get('room.temperature')).toMatchObject({
      type: 'gauge',
      value: 21.5,
      aggregationTemporalityName: 'AGGREGATION_TEMPORALITY_UNSPECIFIED',
    });
    for (const item of batch.items) {
      expect(plainAttributes(item.resource.attributes)).toMatchObject({
        'service.name': 'checkout',
        'deployment.environment': 'test',
      });
      expect(item.scope).toMatchObject({
        name: 'oracle.meter',
        version: '1.0.0',
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      });
    }
  });
});

it('decodes the protobuf and the JSON encodings of the same metrics to the same items', async () => {
  const metrics = await sdkMetrics();
  const fromProtobuf = decodeExport('metrics', 'protobuf', serializers.protobuf(metrics) ?? new Uint8Array());
  const fromJson = decodeExport('metrics', 'json', serializers.json(metrics) ?? new Uint8Array());
  expect(fromJson).toEqual(fromProtobuf);
});
