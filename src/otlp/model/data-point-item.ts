import type { aggregationTemporalityNames } from '../messages/metrics.ts';
import type { Attributes, ResourceInfo, ScopeInfo } from './common.ts';

export type AggregationTemporalityName = (typeof aggregationTemporalityNames)[number];

/** The metric a data point belongs to (metrics.proto `Metric` without its data). */
export interface MetricInfo {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly metadata: Attributes;
}

/** metrics.proto `Exemplar`, normalized: ids lower-case hex ('' when absent or all zero). */
export interface ExemplarItem {
  readonly filteredAttributes: Attributes;
  readonly timeUnixNano: bigint;
  /** bigint = `as_int`, number = `as_double`; null (no value) makes the exemplar and its point invalid. */
  readonly value: bigint | number | null;
  readonly traceId: string;
  readonly spanId: string;
}

/**
 * What every data point carries: its resource, scope and metric, the metric's temporality and monotonic flag
 * (UNSPECIFIED / false for gauges and summaries, which have neither), its own attributes and times (bigint unix ns).
 */
interface DataPointBase {
  readonly resource: ResourceInfo;
  readonly scope: ScopeInfo;
  readonly metric: MetricInfo;
  readonly aggregationTemporality: number;
  readonly aggregationTemporalityName: AggregationTemporalityName | undefined;
  readonly isMonotonic: boolean;
  readonly attributes: Attributes;
  readonly startTimeUnixNano: bigint;
  readonly timeUnixNano: bigint;
  readonly flags: number;
  /** `DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK`: "valid but has no recorded value" (a staleness marker). */
  readonly noRecordedValue: boolean;
  readonly exemplars: readonly ExemplarItem[];
}

/** A gauge or sum point (NumberDataPoint). `value`: bigint = as_int, number = as_double, null = no recorded value. */
export interface NumberDataPointItem extends DataPointBase {
  readonly type: 'gauge' | 'sum';
  readonly value: bigint | number | null;
}

export interface HistogramDataPointItem extends DataPointBase {
  readonly type: 'histogram';
  readonly count: bigint;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly bucketCounts: readonly bigint[];
  readonly explicitBounds: readonly number[];
}

export interface ExponentialHistogramDataPointItem extends DataPointBase {
  readonly type: 'exponential_histogram';
  readonly count: bigint;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly scale: number;
  readonly zeroCount: bigint;
  readonly zeroThreshold: number;
  readonly positive: { readonly offset: number; readonly bucketCounts: readonly bigint[] };
  readonly negative: { readonly offset: number; readonly bucketCounts: readonly bigint[] };
}

export interface SummaryDataPointItem extends DataPointBase {
  readonly type: 'summary';
  readonly count: bigint;
  readonly sum: number;
  readonly quantileValues: readonly { readonly quantile: number; readonly value: number }[];
}

/** One metric data point (the unit of `rejected_data_points`), discriminated by its metric's `type`. */
export type DataPointItem =
  NumberDataPointItem | HistogramDataPointItem | ExponentialHistogramDataPointItem | SummaryDataPointItem;

export type MetricType = DataPointItem['type'];
