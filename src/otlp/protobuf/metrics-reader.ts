// Protobuf readers for opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto (down to the data
// point lists; the points are in data-point-reader.ts) and collector/metrics/v1/metrics_service.proto.
import type { Reader } from 'protobufjs/minimal.js';
import { newInstrumentationScope } from '../messages/common.ts';
import type { ExportMetricsServiceRequest } from '../messages/collector.ts';
import {
  newExponentialHistogram,
  newExponentialHistogramDataPoint,
  newGauge,
  newHistogram,
  newHistogramDataPoint,
  newMetric,
  newNumberDataPoint,
  newResourceMetrics,
  newScopeMetrics,
  newSum,
  newSummary,
  newSummaryDataPoint,
  type ExponentialHistogram,
  type Gauge,
  type Histogram,
  type Metric,
  type ResourceMetrics,
  type ScopeMetrics,
  type Sum,
  type Summary,
} from '../messages/metrics.ts';
import { newResource } from '../messages/resource.ts';
import { readInstrumentationScope, readKeyValue, readResource } from './common-reader.ts';
import {
  readExponentialHistogramDataPoint,
  readHistogramDataPoint,
  readNumberDataPoint,
  readSummaryDataPoint,
} from './data-point-reader.ts';
import { decodeProtobuf, expectEnd, lengthEnd, readBool, readInt32, readString, skipField } from './wire.ts';

/**
 * metrics_service.proto `ExportMetricsServiceRequest`:
 *   1 resource_metrics repeated ResourceMetrics
 */
export function readExportMetricsServiceRequest(reader: Reader, end: number): ExportMetricsServiceRequest {
  const request: ExportMetricsServiceRequest = { resourceMetrics: [] };
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        request.resourceMetrics.push(
          readResourceMetrics(
            reader,
            lengthEnd(reader, tag, 'ExportMetricsServiceRequest.resource_metrics'),
            newResourceMetrics(),
          ),
        );
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ExportMetricsServiceRequest');
  return request;
}

/**
 * metrics.proto `ResourceMetrics`:
 *   1 resource Resource · 2 scope_metrics repeated ScopeMetrics · 3 schema_url string · reserved 1000
 */
function readResourceMetrics(reader: Reader, end: number, message: ResourceMetrics): ResourceMetrics {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        message.resource = readResource(
          reader,
          lengthEnd(reader, tag, 'ResourceMetrics.resource'),
          message.resource ?? newResource(),
        );
        break;
      case 2:
        message.scopeMetrics.push(
          readScopeMetrics(reader, lengthEnd(reader, tag, 'ResourceMetrics.scope_metrics'), newScopeMetrics()),
        );
        break;
      case 3:
        message.schemaUrl = readString(reader, tag, 'ResourceMetrics.schema_url');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ResourceMetrics');
  return message;
}

/**
 * metrics.proto `ScopeMetrics`:
 *   1 scope InstrumentationScope · 2 metrics repeated Metric · 3 schema_url string
 */
function readScopeMetrics(reader: Reader, end: number, message: ScopeMetrics): ScopeMetrics {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        message.scope = readInstrumentationScope(
          reader,
          lengthEnd(reader, tag, 'ScopeMetrics.scope'),
          message.scope ?? newInstrumentationScope(),
        );
        break;
      case 2:
        message.metrics.push(readMetric(reader, lengthEnd(reader, tag, 'ScopeMetrics.metrics'), newMetric()));
        break;
      case 3:
        message.schemaUrl = readString(reader, tag, 'ScopeMetrics.schema_url');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ScopeMetrics');
  return message;
}

/**
 * metrics.proto `Metric`:
 *   1 name string · 2 description string · 3 unit string · oneof data { 5 gauge Gauge · 7 sum Sum ·
 *   9 histogram Histogram · 10 exponential_histogram ExponentialHistogram · 11 summary Summary } ·
 *   12 metadata repeated KeyValue · reserved 4, 6, 8
 * The last oneof member on the wire wins; the same member twice merges.
 */
function readMetric(reader: Reader, end: number, metric: Metric): Metric {
  while (reader.pos < end) {
    const tag = reader.tag();
    const data = metric.data;
    switch (tag >>> 3) {
      case 1:
        metric.name = readString(reader, tag, 'Metric.name');
        break;
      case 2:
        metric.description = readString(reader, tag, 'Metric.description');
        break;
      case 3:
        metric.unit = readString(reader, tag, 'Metric.unit');
        break;
      case 5: {
        const into = data?.case === 'gauge' ? data.value : newGauge();
        metric.data = { case: 'gauge', value: readGauge(reader, lengthEnd(reader, tag, 'Metric.gauge'), into) };
        break;
      }
      case 7: {
        const into = data?.case === 'sum' ? data.value : newSum();
        metric.data = { case: 'sum', value: readSum(reader, lengthEnd(reader, tag, 'Metric.sum'), into) };
        break;
      }
      case 9: {
        const into = data?.case === 'histogram' ? data.value : newHistogram();
        metric.data = {
          case: 'histogram',
          value: readHistogram(reader, lengthEnd(reader, tag, 'Metric.histogram'), into),
        };
        break;
      }
      case 10: {
        const into = data?.case === 'exponentialHistogram' ? data.value : newExponentialHistogram();
        const value = readExponentialHistogram(reader, lengthEnd(reader, tag, 'Metric.exponential_histogram'), into);
        metric.data = { case: 'exponentialHistogram', value };
        break;
      }
      case 11: {
        const into = data?.case === 'summary' ? data.value : newSummary();
        metric.data = { case: 'summary', value: readSummary(reader, lengthEnd(reader, tag, 'Metric.summary'), into) };
        break;
      }
      case 12:
        metric.metadata.push(readKeyValue(reader, lengthEnd(reader, tag, 'Metric.metadata')));
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Metric');
  return metric;
}

/**
 * metrics.proto `Gauge`:
 *   1 data_points repeated NumberDataPoint
 */
function readGauge(reader: Reader, end: number, gauge: Gauge): Gauge {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        gauge.dataPoints.push(
          readNumberDataPoint(reader, lengthEnd(reader, tag, 'Gauge.data_points'), newNumberDataPoint()),
        );
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Gauge');
  return gauge;
}

/**
 * metrics.proto `Sum`:
 *   1 data_points repeated NumberDataPoint · 2 aggregation_temporality AggregationTemporality · 3 is_monotonic bool
 */
function readSum(reader: Reader, end: number, sum: Sum): Sum {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        sum.dataPoints.push(
          readNumberDataPoint(reader, lengthEnd(reader, tag, 'Sum.data_points'), newNumberDataPoint()),
        );
        break;
      case 2:
        sum.aggregationTemporality = readInt32(reader, tag, 'Sum.aggregation_temporality');
        break;
      case 3:
        sum.isMonotonic = readBool(reader, tag, 'Sum.is_monotonic');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Sum');
  return sum;
}

/**
 * metrics.proto `Histogram`:
 *   1 data_points repeated HistogramDataPoint · 2 aggregation_temporality AggregationTemporality
 */
function readHistogram(reader: Reader, end: number, histogram: Histogram): Histogram {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        histogram.dataPoints.push(
          readHistogramDataPoint(reader, lengthEnd(reader, tag, 'Histogram.data_points'), newHistogramDataPoint()),
        );
        break;
      case 2:
        histogram.aggregationTemporality = readInt32(reader, tag, 'Histogram.aggregation_temporality');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Histogram');
  return histogram;
}

/**
 * metrics.proto `ExponentialHistogram`:
 *   1 data_points repeated ExponentialHistogramDataPoint · 2 aggregation_temporality AggregationTemporality
 */
function readExponentialHistogram(reader: Reader, end: number, histogram: ExponentialHistogram): ExponentialHistogram {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        histogram.dataPoints.push(
          readExponentialHistogramDataPoint(
            reader,
            lengthEnd(reader, tag, 'ExponentialHistogram.data_points'),
            newExponentialHistogramDataPoint(),
          ),
        );
        break;
      case 2:
        histogram.aggregationTemporality = readInt32(reader, tag, 'ExponentialHistogram.aggregation_temporality');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ExponentialHistogram');
  return histogram;
}

/**
 * metrics.proto `Summary`:
 *   1 data_points repeated SummaryDataPoint
 */
function readSummary(reader: Reader, end: number, summary: Summary): Summary {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        summary.dataPoints.push(
          readSummaryDataPoint(reader, lengthEnd(reader, tag, 'Summary.data_points'), newSummaryDataPoint()),
        );
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Summary');
  return summary;
}

/** Decodes an OTLP/HTTP binary metrics body (`application/x-protobuf`). */
export function decodeMetricsRequestProtobuf(body: Uint8Array): ExportMetricsServiceRequest {
  return decodeProtobuf(body, 'ExportMetricsServiceRequest', readExportMetricsServiceRequest);
}
