import { optionalIdHex } from '../ids.ts';
import type { ExportMetricsServiceRequest } from '../messages/collector.ts';
import {
  aggregationTemporalityNames,
  noRecordedValueMask,
  type Buckets,
  type Exemplar,
  type Metric,
  type NumberValue,
} from '../messages/metrics.ts';
import type { ExportBatch, ResourceInfo, ScopeInfo } from '../model/common.ts';
import type { DataPointItem, ExemplarItem, MetricInfo } from '../model/data-point-item.ts';
import { dataPointProblem } from '../validate/data-point-problem.ts';
import { resourceInfo, scopeInfo } from './context.ts';
import { ProblemLog } from './problem-log.ts';

interface PointCommon {
  readonly attributes: DataPointItem['attributes'];
  readonly startTimeUnixNano: bigint;
  readonly timeUnixNano: bigint;
  readonly flags: number;
}

const numberValue = (value: NumberValue | undefined): bigint | number | null => value?.value ?? null;

function exemplarItems(exemplars: readonly Exemplar[]): readonly ExemplarItem[] {
  return exemplars.map((exemplar) => ({
    filteredAttributes: exemplar.filteredAttributes,
    timeUnixNano: exemplar.timeUnixNano,
    value: numberValue(exemplar.value),
    // Optional ids ("may be missing if the measurement is not recorded inside a trace"): all zeros = missing.
    traceId: optionalIdHex(exemplar.traceId),
    spanId: optionalIdHex(exemplar.spanId),
  }));
}

const buckets = (value: Buckets | undefined) => ({
  offset: value?.offset ?? 0,
  bucketCounts: value?.bucketCounts ?? [],
});

/**
 * One item per data point of a metric, each carrying the metric (name, description, unit, metadata), its type,
 * temporality and monotonic flag. A metric without data yields no points.
 */
function metricPoints(metric: Metric, resource: ResourceInfo, scope: ScopeInfo): DataPointItem[] {
  const info: MetricInfo = {
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    metadata: metric.metadata,
  };
  const context = (point: PointCommon, temporality: number, isMonotonic: boolean, exemplars: readonly Exemplar[]) => ({
    resource,
    scope,
    metric: info,
    aggregationTemporality: temporality,
    aggregationTemporalityName: aggregationTemporalityNames[temporality],
    isMonotonic,
    attributes: point.attributes,
    startTimeUnixNano: point.startTimeUnixNano,
    timeUnixNano: point.timeUnixNano,
    flags: point.flags,
    noRecordedValue: (point.flags & noRecordedValueMask) !== 0,
    exemplars: exemplarItems(exemplars),
  });
  const data = metric.data;
  switch (data?.case) {
    case undefined:
      return [];
    case 'gauge':
      return data.value.dataPoints.map((point) => ({
        ...context(point, 0, false, point.exemplars),
        type: 'gauge',
        value: numberValue(point.value),
      }));
    case 'sum': {
      const { aggregationTemporality, isMonotonic } = data.value;
      return data.value.dataPoints.map((point) => ({
        ...context(point, aggregationTemporality, isMonotonic, point.exemplars),
        type: 'sum',
        value: numberValue(point.value),
      }));
    }
    case 'histogram': {
      const temporality = data.value.aggregationTemporality;
      return data.value.dataPoints.map((point) => ({
        ...context(point, temporality, false, point.exemplars),
        type: 'histogram',
        count: point.count,
        sum: point.sum,
        min: point.min,
        max: point.max,
        bucketCounts: point.bucketCounts,
        explicitBounds: point.explicitBounds,
      }));
    }
    case 'exponentialHistogram': {
      const temporality = data.value.aggregationTemporality;
      return data.value.dataPoints.map((point) => ({
        ...context(point, temporality, false, point.exemplars),
        type: 'exponential_histogram',
        count: point.count,
        sum: point.sum,
        min: point.min,
        max: point.max,
        scale: point.scale,
        zeroCount: point.zeroCount,
        zeroThreshold: point.zeroThreshold,
        positive: buckets(point.positive),
        negative: buckets(point.negative),
      }));
    }
    case 'summary':
      return data.value.dataPoints.map((point) => ({
        ...context(point, 0, false, []),
        type: 'summary',
        count: point.count,
        sum: point.sum,
        quantileValues: point.quantileValues,
      }));
  }
}

/**
 * ExportMetricsServiceRequest → one item per data point (the unit of `rejected_data_points`, otlp.md §1.9);
 * invalid points are counted and named in the partial success. A metric with no data at all is a warning.
 */
export function normalizeMetrics(request: ExportMetricsServiceRequest): ExportBatch<DataPointItem> {
  const problems = new ProblemLog();
  const items: DataPointItem[] = [];
  let received = 0;
  for (const [r, resourceMetrics] of request.resourceMetrics.entries()) {
    const resource = resourceInfo(resourceMetrics.resource, resourceMetrics.schemaUrl);
    for (const [s, scopeMetrics] of resourceMetrics.scopeMetrics.entries()) {
      const scope = scopeInfo(scopeMetrics.scope, scopeMetrics.schemaUrl);
      for (const [m, metric] of scopeMetrics.metrics.entries()) {
        const where = `resource_metrics[${r}].scope_metrics[${s}].metrics[${m}]`;
        if (metric.data === undefined) {
          problems.warn(
            where,
            `metric ${JSON.stringify(metric.name)} has no data (gauge, sum, histogram, exponential_histogram or summary); nothing stored`,
          );
          continue;
        }
        for (const [p, point] of metricPoints(metric, resource, scope).entries()) {
          received += 1;
          const problem = dataPointProblem(point);
          if (problem === undefined) items.push(point);
          else problems.reject(`${where}.data_points[${p}]`, problem);
        }
      }
    }
  }
  return {
    items,
    received,
    rejected: problems.rejected,
    partialSuccess: problems.partialSuccess(received, 'data points'),
  };
}
