// The OTLP collector service messages, written from opentelemetry-proto v1.11.0
// opentelemetry/proto/collector/{trace,metrics,logs}/v1/{trace,metrics,logs}_service.proto.
import type { ResourceLogs } from './logs.ts';
import type { ResourceMetrics } from './metrics.ts';
import type { ResourceSpans } from './trace.ts';

/** `ExportTraceServiceRequest`: `repeated ResourceSpans resource_spans = 1`. */
export interface ExportTraceServiceRequest {
  resourceSpans: ResourceSpans[];
}

/** `ExportMetricsServiceRequest`: `repeated ResourceMetrics resource_metrics = 1`. */
export interface ExportMetricsServiceRequest {
  resourceMetrics: ResourceMetrics[];
}

/** `ExportLogsServiceRequest`: `repeated ResourceLogs resource_logs = 1`. */
export interface ExportLogsServiceRequest {
  resourceLogs: ResourceLogs[];
}

/** `ExportTraceServiceResponse`: `ExportTracePartialSuccess partial_success = 1`. */
export interface ExportTraceServiceResponse {
  readonly partialSuccess: ExportTracePartialSuccess | undefined;
}

/** `ExportTracePartialSuccess`: `int64 rejected_spans = 1; string error_message = 2`. */
export interface ExportTracePartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/** `ExportMetricsServiceResponse`: `ExportMetricsPartialSuccess partial_success = 1`. */
export interface ExportMetricsServiceResponse {
  readonly partialSuccess: ExportMetricsPartialSuccess | undefined;
}

/** `ExportMetricsPartialSuccess`: `int64 rejected_data_points = 1; string error_message = 2`. */
export interface ExportMetricsPartialSuccess {
  readonly rejectedDataPoints: number;
  readonly errorMessage: string;
}

/** `ExportLogsServiceResponse`: `ExportLogsPartialSuccess partial_success = 1`. */
export interface ExportLogsServiceResponse {
  readonly partialSuccess: ExportLogsPartialSuccess | undefined;
}

/** `ExportLogsPartialSuccess`: `int64 rejected_log_records = 1; string error_message = 2`. */
export interface ExportLogsPartialSuccess {
  readonly rejectedLogRecords: number;
  readonly errorMessage: string;
}
