// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto (down to the data
// point lists) and collector/metrics/v1/metrics_service.proto. Members are lowerCamelCase (proto names accepted);
// unknown ones ignored.
import type { ExportMetricsServiceRequest } from '../messages/collector.ts';
import {
  aggregationTemporalityNames,
  newExponentialHistogram,
  newGauge,
  newHistogram,
  newMetric,
  newResourceMetrics,
  newScopeMetrics,
  newSum,
  newSummary,
  type ExponentialHistogram,
  type Gauge,
  type Histogram,
  type Metric,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
  type Sum,
  type Summary,
} from '../messages/metrics.ts';
import { keyValuesFromJson, resourceFromJson, scopeFromJson } from './common-reader.ts';
import {
  exponentialHistogramDataPointFromJson,
  histogramDataPointFromJson,
  numberDataPointFromJson,
  summaryDataPointFromJson,
} from './data-point-reader.ts';
import { decodeJson } from './decode-json.ts';
import { bool, enumNumber, JsonShapeError, message, messages, string, type JsonObject } from './values.ts';

/** metrics_service.proto `ExportMetricsServiceRequest`: resourceMetrics. */
function exportMetricsRequestFromJson(object: JsonObject): ExportMetricsServiceRequest {
  const request: ExportMetricsServiceRequest = { resourceMetrics: [] };
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'resourceMetrics':
      case 'resource_metrics':
        request.resourceMetrics = messages(member, key, resourceMetricsFromJson);
        break;
      default:
    }
  }
  return request;
}

/** metrics.proto `ResourceMetrics`: resource · scopeMetrics · schemaUrl. */
function resourceMetricsFromJson(object: JsonObject): ResourceMetrics {
  const result = newResourceMetrics();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'resource':
        result.resource = message(member, key, resourceFromJson);
        break;
      case 'scopeMetrics':
      case 'scope_metrics':
        result.scopeMetrics = messages(member, key, scopeMetricsFromJson);
        break;
      case 'schemaUrl':
      case 'schema_url':
        result.schemaUrl = string(member, key);
        break;
      default:
    }
  }
  return result;
}

/** metrics.proto `ScopeMetrics`: scope · metrics · schemaUrl. */
function scopeMetricsFromJson(object: JsonObject): ScopeMetrics {
  const result = newScopeMetrics();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'scope':
        result.scope = message(member, key, scopeFromJson);
        break;
      case 'metrics':
        result.metrics = messages(member, key, metricFromJson);
        break;
      case 'schemaUrl':
      case 'schema_url':
        result.schemaUrl = string(member, key);
        break;
      default:
    }
  }
  return result;
}

/**
 * metrics.proto `Metric`: name · description · unit · oneof data { gauge · sum · histogram · exponentialHistogram ·
 * summary } · metadata. More than one member of the oneof is an error (proto3 JSON mapping).
 */
function metricFromJson(object: JsonObject): Metric {
  const metric = newMetric();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    let data: MetricData;
    switch (key) {
      case 'name':
        metric.name = string(member, key);
        continue;
      case 'description':
        metric.description = string(member, key);
        continue;
      case 'unit':
        metric.unit = string(member, key);
        continue;
      case 'metadata':
        metric.metadata = keyValuesFromJson(member, key);
        continue;
      case 'gauge':
        data = { case: 'gauge', value: message(member, key, gaugeFromJson) };
        break;
      case 'sum':
        data = { case: 'sum', value: message(member, key, sumFromJson) };
        break;
      case 'histogram':
        data = { case: 'histogram', value: message(member, key, histogramFromJson) };
        break;
      case 'exponentialHistogram':
      case 'exponential_histogram':
        data = { case: 'exponentialHistogram', value: message(member, key, exponentialHistogramFromJson) };
        break;
      case 'summary':
        data = { case: 'summary', value: message(member, key, summaryFromJson) };
        break;
      default:
        continue;
    }
    if (metric.data !== undefined) {
      throw new JsonShapeError(key, `Metric sets more than one data member (${metric.data.case} and ${key})`);
    }
    metric.data = data;
  }
  return metric;
}

/** metrics.proto `Gauge`: dataPoints. */
function gaugeFromJson(object: JsonObject): Gauge {
  const gauge = newGauge();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'dataPoints':
      case 'data_points':
        gauge.dataPoints = messages(member, key, numberDataPointFromJson);
        break;
      default:
    }
  }
  return gauge;
}

/** metrics.proto `Sum`: dataPoints · aggregationTemporality · isMonotonic. */
function sumFromJson(object: JsonObject): Sum {
  const sum = newSum();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'dataPoints':
      case 'data_points':
        sum.dataPoints = messages(member, key, numberDataPointFromJson);
        break;
      case 'aggregationTemporality':
      case 'aggregation_temporality':
        sum.aggregationTemporality = enumNumber(member, key, aggregationTemporalityNames);
        break;
      case 'isMonotonic':
      case 'is_monotonic':
        sum.isMonotonic = bool(member, key);
        break;
      default:
    }
  }
  return sum;
}

/** metrics.proto `Histogram`: dataPoints · aggregationTemporality. */
function histogramFromJson(object: JsonObject): Histogram {
  const histogram = newHistogram();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'dataPoints':
      case 'data_points':
        histogram.dataPoints = messages(member, key, histogramDataPointFromJson);
        break;
      case 'aggregationTemporality':
      case 'aggregation_temporality':
        histogram.aggregationTemporality = enumNumber(member, key, aggregationTemporalityNames);
        break;
      default:
    }
  }
  return histogram;
}

/** metrics.proto `ExponentialHistogram`: dataPoints · aggregationTemporality. */
function exponentialHistogramFromJson(object: JsonObject): ExponentialHistogram {
  const histogram = newExponentialHistogram();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'dataPoints':
      case 'data_points':
        histogram.dataPoints = messages(member, key, exponentialHistogramDataPointFromJson);
        break;
      case 'aggregationTemporality':
      case 'aggregation_temporality':
        histogram.aggregationTemporality = enumNumber(member, key, aggregationTemporalityNames);
        break;
      default:
    }
  }
  return histogram;
}

/** metrics.proto `Summary`: dataPoints. */
function summaryFromJson(object: JsonObject): Summary {
  const summary = newSummary();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'dataPoints':
      case 'data_points':
        summary.dataPoints = messages(member, key, summaryDataPointFromJson);
        break;
      default:
    }
  }
  return summary;
}

/** Decodes an OTLP/HTTP JSON metrics body (`application/json`). */
export function decodeMetricsRequestJson(body: Uint8Array): ExportMetricsServiceRequest {
  return decodeJson(body, 'ExportMetricsServiceRequest', exportMetricsRequestFromJson);
}
