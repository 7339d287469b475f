import type { DataPointItem, ExemplarItem } from '../model/data-point-item.ts';
import { attributesJson, boundedText, doubleJson, int64Json, nanosJson, type JsonSafe } from './json-safe.ts';
import { contentKey, maxTextLength, type RowContext, type TelemetryRow } from './row.ts';

const numberJson = (value: bigint | number | null): JsonSafe =>
  value === null ? null : typeof value === 'bigint' ? int64Json(value) : doubleJson(value);

const optionalDouble = (value: number | undefined): JsonSafe => (value === undefined ? null : doubleJson(value));

const exemplarJson = (exemplar: ExemplarItem): JsonSafe => ({
  time_unix_nano: nanosJson(exemplar.timeUnixNano),
  value: numberJson(exemplar.value),
  trace_id: exemplar.traceId === '' ? null : exemplar.traceId,
  span_id: exemplar.spanId === '' ? null : exemplar.spanId,
  filtered_attributes: attributesJson(exemplar.filteredAttributes),
});

/** What was measured, per metric type (metrics.proto data point fields, snake_case; counts by int64Json). */
function measurementsOf(point: DataPointItem): Record<string, JsonSafe> {
  switch (point.type) {
    case 'gauge':
    case 'sum':
      return { value: numberJson(point.value) };
    case 'histogram':
      return {
        count: int64Json(point.count),
        sum: optionalDouble(point.sum),
        min: optionalDouble(point.min),
        max: optionalDouble(point.max),
        bucket_counts: point.bucketCounts.map(int64Json),
        explicit_bounds: point.explicitBounds.map(doubleJson),
      };
    case 'exponential_histogram':
      return {
        count: int64Json(point.count),
        sum: optionalDouble(point.sum),
        min: optionalDouble(point.min),
        max: optionalDouble(point.max),
        scale: point.scale,
        zero_count: int64Json(point.zeroCount),
        zero_threshold: doubleJson(point.zeroThreshold),
        positive: { offset: point.positive.offset, bucket_counts: point.positive.bucketCounts.map(int64Json) },
        negative: { offset: point.negative.offset, bucket_counts: point.negative.bucketCounts.map(int64Json) },
      };
    case 'summary':
      return {
        count: int64Json(point.count),
        sum: doubleJson(point.sum),
        quantile_values: point.quantileValues.map(({ quantile, value }) => ({
          quantile: doubleJson(quantile),
          value: doubleJson(value),
        })),
      };
  }
}

/** `int` / `double` for gauge and sum points (as_int / as_double), which a JSON number alone cannot tell. */
function valueType(point: DataPointItem): JsonSafe {
  if (point.type !== 'gauge' && point.type !== 'sum') return null;
  if (point.value === null) return null;
  return typeof point.value === 'bigint' ? 'int' : 'double';
}

/**
 * A metric data point → `["otlp","metric",<metric name>]`, the point's values in `measurements`, the metric
 * (description, unit, type, temporality, monotonic), the point's attributes, times, flags and exemplars in
 * `metadata`. Dedup key: a hash of the stored content ("metric:<sha256>"): a retried request stores nothing new,
 * a point that differs in anything (series, time, value) is a new row.
 */
export function dataPointRow(point: DataPointItem, context: RowContext): TelemetryRow {
  const row = {
    eventName: ['otlp', 'metric', boundedText(point.metric.name, maxTextLength)],
    measurements: JSON.stringify(measurementsOf(point)),
    metadata: context.metadata(
      {
        metric: {
          name: point.metric.name,
          description: point.metric.description,
          unit: point.metric.unit,
          type: point.type,
          aggregation_temporality: point.aggregationTemporality,
          aggregation_temporality_name: point.aggregationTemporalityName ?? null,
          is_monotonic: point.isMonotonic,
          metadata: attributesJson(point.metric.metadata),
        },
        value_type: valueType(point),
        attributes: attributesJson(point.attributes),
        start_time_unix_nano: nanosJson(point.startTimeUnixNano),
        time_unix_nano: nanosJson(point.timeUnixNano),
        flags: point.flags,
        no_recorded_value: point.noRecordedValue,
        exemplars: point.exemplars.map(exemplarJson),
      },
      point.resource,
      point.scope,
    ),
    traceId: null,
    spanId: null,
    source: context.source(point.resource),
  };
  return { ...row, dedupKey: contentKey('metric', row) };
}
