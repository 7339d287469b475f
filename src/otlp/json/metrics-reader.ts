// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto (down to the data
// point lists) and collector/metrics/v1/metrics_service.proto, declared as field tables for json-message.ts
// (leaves first: a table refers to the readers of its fields).
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
} from '../messages/metrics.ts';
import { exportRequestFromJson, keyValuesFromJson } from './common-reader.ts';
import {
  exponentialHistogramDataPointFromJson,
  histogramDataPointFromJson,
  numberDataPointFromJson,
  summaryDataPointFromJson,
} from './data-point-reader.ts';
import { decodeJson } from './decode-json.ts';
import { enumOf, jsonMessage, messageOf, messagesOf, oneof } from './json-message.ts';
import { bool, string } from './values.ts';

const aggregationTemporality = enumOf(aggregationTemporalityNames);

/** metrics.proto `Gauge`: dataPoints. */
const gaugeFromJson = jsonMessage(newGauge, { dataPoints: messagesOf(numberDataPointFromJson) });

/** metrics.proto `Sum`: dataPoints · aggregationTemporality · isMonotonic. */
const sumFromJson = jsonMessage(newSum, {
  dataPoints: messagesOf(numberDataPointFromJson),
  aggregationTemporality,
  isMonotonic: bool,
});

/** metrics.proto `Histogram`: dataPoints · aggregationTemporality. */
const histogramFromJson = jsonMessage(newHistogram, {
  dataPoints: messagesOf(histogramDataPointFromJson),
  aggregationTemporality,
});

/** metrics.proto `ExponentialHistogram`: dataPoints · aggregationTemporality. */
const exponentialHistogramFromJson = jsonMessage(newExponentialHistogram, {
  dataPoints: messagesOf(exponentialHistogramDataPointFromJson),
  aggregationTemporality,
});

/** metrics.proto `Summary`: dataPoints. */
const summaryFromJson = jsonMessage(newSummary, { dataPoints: messagesOf(summaryDataPointFromJson) });

/**
 * metrics.proto `Metric`: name · description · unit · oneof data { gauge · sum · histogram · exponentialHistogram ·
 * summary } · metadata. More than one member of the oneof is an error (proto3 JSON mapping).
 */
const metricFromJson = jsonMessage(newMetric, {
  name: string,
  description: string,
  unit: string,
  data: oneof('Metric sets more than one data member', {
    gauge: messageOf(gaugeFromJson),
    sum: messageOf(sumFromJson),
    histogram: messageOf(histogramFromJson),
    exponentialHistogram: messageOf(exponentialHistogramFromJson),
    summary: messageOf(summaryFromJson),
  }),
  metadata: keyValuesFromJson,
});

/** metrics_service.proto `ExportMetricsServiceRequest` → metrics.proto `ResourceMetrics` → `ScopeMetrics` → metrics. */
const exportMetricsRequestFromJson = exportRequestFromJson(
  {
    newScope: newScopeMetrics,
    items: 'metrics',
    newResource: newResourceMetrics,
    scopes: 'scopeMetrics',
    newRequest: (): ExportMetricsServiceRequest => ({ resourceMetrics: [] }),
    resources: 'resourceMetrics',
  },
  metricFromJson,
);

/** Decodes an OTLP/HTTP JSON metrics body (`application/json`). */
export function decodeMetricsRequestJson(body: Uint8Array): ExportMetricsServiceRequest {
  return decodeJson(body, 'ExportMetricsServiceRequest', exportMetricsRequestFromJson);
}
