// OTLP metric messages, written from opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto.
// fixed64/uint64 counts and sfixed64 values are bigint; `optional double` fields are `number | undefined`.
import type { InstrumentationScope, KeyValue } from './common.ts';
import type { Resource } from './resource.ts';

/** `ResourceMetrics`: `Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; reserved 1000`. */
export interface ResourceMetrics {
  resource: Resource | undefined;
  scopeMetrics: ScopeMetrics[];
  schemaUrl: string;
}

/** `ScopeMetrics`: `InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3`. */
export interface ScopeMetrics {
  scope: InstrumentationScope | undefined;
  metrics: Metric[];
  schemaUrl: string;
}

/**
 * `Metric`: `string name = 1; string description = 2; string unit = 3; oneof data { Gauge gauge = 5; Sum sum = 7;
 * Histogram histogram = 9; ExponentialHistogram exponential_histogram = 10; Summary summary = 11 };
 * repeated KeyValue metadata = 12; reserved 4, 6, 8`.
 */
export interface Metric {
  name: string;
  description: string;
  unit: string;
  data: MetricData | undefined;
  metadata: KeyValue[];
}

export type MetricData =
  | { readonly case: 'gauge'; readonly value: Gauge }
  | { readonly case: 'sum'; readonly value: Sum }
  | { readonly case: 'histogram'; readonly value: Histogram }
  | { readonly case: 'exponentialHistogram'; readonly value: ExponentialHistogram }
  | { readonly case: 'summary'; readonly value: Summary };

/** `Gauge`: `repeated NumberDataPoint data_points = 1`. */
export interface Gauge {
  dataPoints: NumberDataPoint[];
}

/** `Sum`: `repeated NumberDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; bool is_monotonic = 3`. */
export interface Sum {
  dataPoints: NumberDataPoint[];
  aggregationTemporality: number;
  isMonotonic: boolean;
}

/** `Histogram`: `repeated HistogramDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2`. */
export interface Histogram {
  dataPoints: HistogramDataPoint[];
  aggregationTemporality: number;
}

/** `ExponentialHistogram`: `repeated ExponentialHistogramDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2`. */
export interface ExponentialHistogram {
  dataPoints: ExponentialHistogramDataPoint[];
  aggregationTemporality: number;
}

/** `Summary`: `repeated SummaryDataPoint data_points = 1`. */
export interface Summary {
  dataPoints: SummaryDataPoint[];
}

/** The `oneof value { double as_double; sfixed64 as_int }` of NumberDataPoint and Exemplar. */
export type NumberValue =
  { readonly case: 'asDouble'; readonly value: number } | { readonly case: 'asInt'; readonly value: bigint };

/**
 * `NumberDataPoint`: `reserved 1; repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2;
 * fixed64 time_unix_nano = 3; oneof value { double as_double = 4; sfixed64 as_int = 6 };
 * repeated Exemplar exemplars = 5; uint32 flags = 8`.
 */
export interface NumberDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value: NumberValue | undefined;
  exemplars: Exemplar[];
  flags: number;
}

/**
 * `HistogramDataPoint`: `reserved 1; repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2;
 * fixed64 time_unix_nano = 3; fixed64 count = 4; optional double sum = 5; repeated fixed64 bucket_counts = 6;
 * repeated double explicit_bounds = 7; repeated Exemplar exemplars = 8; uint32 flags = 10;
 * optional double min = 11; optional double max = 12`.
 */
export interface HistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number | undefined;
  bucketCounts: bigint[];
  explicitBounds: number[];
  exemplars: Exemplar[];
  flags: number;
  min: number | undefined;
  max: number | undefined;
}

/**
 * `ExponentialHistogramDataPoint`: `repeated KeyValue attributes = 1; fixed64 start_time_unix_nano = 2;
 * fixed64 time_unix_nano = 3; fixed64 count = 4; optional double sum = 5; sint32 scale = 6; fixed64 zero_count = 7;
 * Buckets positive = 8; Buckets negative = 9; uint32 flags = 10; repeated Exemplar exemplars = 11;
 * optional double min = 12; optional double max = 13; double zero_threshold = 14`.
 */
export interface ExponentialHistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number | undefined;
  scale: number;
  zeroCount: bigint;
  positive: Buckets | undefined;
  negative: Buckets | undefined;
  flags: number;
  exemplars: Exemplar[];
  min: number | undefined;
  max: number | undefined;
  zeroThreshold: number;
}

/** `ExponentialHistogramDataPoint.Buckets`: `sint32 offset = 1; repeated uint64 bucket_counts = 2`. */
export interface Buckets {
  offset: number;
  bucketCounts: bigint[];
}

/**
 * `SummaryDataPoint`: `reserved 1; repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2;
 * fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5; repeated ValueAtQuantile quantile_values = 6;
 * uint32 flags = 8`.
 */
export interface SummaryDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number;
  quantileValues: ValueAtQuantile[];
  flags: number;
}

/** `SummaryDataPoint.ValueAtQuantile`: `double quantile = 1; double value = 2`. */
export interface ValueAtQuantile {
  quantile: number;
  value: number;
}

/**
 * `Exemplar`: `reserved 1; repeated KeyValue filtered_attributes = 7; fixed64 time_unix_nano = 2;
 * oneof value { double as_double = 3; sfixed64 as_int = 6 }; bytes span_id = 4; bytes trace_id = 5`.
 */
export interface Exemplar {
  filteredAttributes: KeyValue[];
  timeUnixNano: bigint;
  value: NumberValue | undefined;
  spanId: Uint8Array;
  traceId: Uint8Array;
}

/** `AggregationTemporality`. */
export const aggregationTemporalityNames = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
] as const;

/** `DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK`: "This DataPoint is valid but has no recorded value". */
export const noRecordedValueMask = 1;

const noBytes = new Uint8Array(0);

export function newResourceMetrics(): ResourceMetrics {
  return { resource: undefined, scopeMetrics: [], schemaUrl: '' };
}

export function newScopeMetrics(): ScopeMetrics {
  return { scope: undefined, metrics: [], schemaUrl: '' };
}

export function newMetric(): Metric {
  return { name: '', description: '', unit: '', data: undefined, metadata: [] };
}

export function newGauge(): Gauge {
  return { dataPoints: [] };
}

export function newSum(): Sum {
  return { dataPoints: [], aggregationTemporality: 0, isMonotonic: false };
}

export function newHistogram(): Histogram {
  return { dataPoints: [], aggregationTemporality: 0 };
}

export function newExponentialHistogram(): ExponentialHistogram {
  return { dataPoints: [], aggregationTemporality: 0 };
}

export function newSummary(): Summary {
  return { dataPoints: [] };
}

export function newNumberDataPoint(): NumberDataPoint {
  return { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, value: undefined, exemplars: [], flags: 0 };
}

export function newHistogramDataPoint(): HistogramDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: undefined,
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    flags: 0,
    min: undefined,
    max: undefined,
  };
}

export function newExponentialHistogramDataPoint(): ExponentialHistogramDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: undefined,
    scale: 0,
    zeroCount: 0n,
    positive: undefined,
    negative: undefined,
    flags: 0,
    exemplars: [],
    min: undefined,
    max: undefined,
    zeroThreshold: 0,
  };
}

export function newBuckets(): Buckets {
  return { offset: 0, bucketCounts: [] };
}

export function newSummaryDataPoint(): SummaryDataPoint {
  return { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, count: 0n, sum: 0, quantileValues: [], flags: 0 };
}

export function newValueAtQuantile(): ValueAtQuantile {
  return { quantile: 0, value: 0 };
}

export function newExemplar(): Exemplar {
  return { filteredAttributes: [], timeUnixNano: 0n, value: undefined, spanId: noBytes, traceId: noBytes };
}
