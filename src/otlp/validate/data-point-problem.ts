import { optionalIdProblem } from '../ids.ts';
import type {
  DataPointItem,
  ExemplarItem,
  ExponentialHistogramDataPointItem,
  HistogramDataPointItem,
  NumberDataPointItem,
  SummaryDataPointItem,
} from '../model/data-point-item.ts';
import { duplicateKeyProblem } from './attributes.ts';

/**
 * Why a metric data point cannot be accepted, or undefined. Rules from opentelemetry-proto v1.11.0 metrics.proto
 * (quoted where they are normative); points flagged NO_RECORDED_VALUE ("valid but has no recorded value") skip
 * the value checks.
 */
export function dataPointProblem(point: DataPointItem): string | undefined {
  if (point.metric.name === '') return 'the metric has no name';
  // "Data points with the 0 value for TimeUnixNano SHOULD be rejected by consumers."
  if (point.timeUnixNano === 0n) return 'time_unix_nano is 0';
  // "AGGREGATION_TEMPORALITY_UNSPECIFIED ... MUST not be used" (for the types that carry a temporality).
  if (point.type !== 'gauge' && point.type !== 'summary' && point.aggregationTemporality === 0) {
    return 'aggregation_temporality is UNSPECIFIED';
  }
  const common = duplicateKeyProblem('attributes', point.attributes) ?? exemplarsProblem(point.exemplars);
  if (common !== undefined || point.noRecordedValue) return common;
  switch (point.type) {
    case 'gauge':
    case 'sum':
      return numberProblem(point);
    case 'histogram':
      return histogramProblem(point);
    case 'exponential_histogram':
      return exponentialHistogramProblem(point);
    case 'summary':
      return summaryProblem(point);
  }
}

/** Exemplar: "considered invalid when one of the recognized value fields is not present"; ids are optional. */
function exemplarsProblem(exemplars: readonly ExemplarItem[]): string | undefined {
  for (const [i, exemplar] of exemplars.entries()) {
    if (exemplar.value === null) return `exemplars[${i}] has no value (as_double or as_int)`;
    const idProblem =
      optionalIdProblem(`exemplars[${i}].trace_id`, exemplar.traceId, 16) ??
      optionalIdProblem(`exemplars[${i}].span_id`, exemplar.spanId, 8);
    if (idProblem !== undefined) return idProblem;
  }
  return undefined;
}

/** NumberDataPoint: "A point is considered invalid when one of the recognized value fields is not present". */
function numberProblem(point: NumberDataPointItem): string | undefined {
  return point.value === null ? 'the data point has no value (as_double or as_int)' : undefined;
}

const total = (counts: readonly bigint[]): bigint => counts.reduce((sum, count) => sum + count, 0n);

/**
 * HistogramDataPoint: "If bucket_counts length is 0 then explicit_bounds length must also be 0, otherwise the data
 * point is invalid"; otherwise bucket_counts has one more element than explicit_bounds; "The values in the
 * explicit_bounds array must be strictly increasing"; "The sum of the bucket_counts must equal the value in the
 * count field".
 */
function histogramProblem(point: HistogramDataPointItem): string | undefined {
  const buckets = point.bucketCounts.length;
  const bounds = point.explicitBounds.length;
  if (buckets === 0 && bounds !== 0) return `explicit_bounds has ${bounds} elements but bucket_counts is empty`;
  if (buckets !== 0 && buckets !== bounds + 1) {
    return `bucket_counts has ${buckets} elements, expected explicit_bounds + 1 = ${bounds + 1}`;
  }
  for (let i = 1; i < bounds; i++) {
    if (!((point.explicitBounds[i - 1] ?? Number.NaN) < (point.explicitBounds[i] ?? Number.NaN))) {
      return 'explicit_bounds are not strictly increasing';
    }
  }
  if (buckets !== 0 && total(point.bucketCounts) !== point.count) {
    return `count ${point.count} differs from the sum of bucket_counts ${total(point.bucketCounts)}`;
  }
  return undefined;
}

/** ExponentialHistogramDataPoint: count "must be equal to the sum of the bucket_counts ... plus the zero_count". */
function exponentialHistogramProblem(point: ExponentialHistogramDataPointItem): string | undefined {
  const counted = point.zeroCount + total(point.positive.bucketCounts) + total(point.negative.bucketCounts);
  return counted === point.count
    ? undefined
    : `count ${point.count} differs from zero_count + bucket counts ${counted}`;
}

/**
 * SummaryDataPoint.ValueAtQuantile: quantile "Must be in the interval [0.0, 1.0]", "Quantile values must NOT be
 * negative", "The quantiles must be strictly increasing".
 */
function summaryProblem(point: SummaryDataPointItem): string | undefined {
  let previous = -1;
  for (const [i, { quantile, value }] of point.quantileValues.entries()) {
    if (!(quantile >= 0 && quantile <= 1)) return `quantile_values[${i}].quantile ${quantile} is outside [0, 1]`;
    if (!(quantile > previous)) return 'quantile_values are not strictly increasing';
    if (value < 0) return `quantile_values[${i}].value ${value} is negative`;
    previous = quantile;
  }
  return undefined;
}
