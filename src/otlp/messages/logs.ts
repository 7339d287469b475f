// OTLP log messages, written from opentelemetry-proto v1.11.0 opentelemetry/proto/logs/v1/logs.proto.
import type { AnyValue, InstrumentationScope, KeyValue } from './common.ts';
import type { Resource } from './resource.ts';

/** `ResourceLogs`: `Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; reserved 1000`. */
export interface ResourceLogs {
  resource: Resource | undefined;
  scopeLogs: ScopeLogs[];
  schemaUrl: string;
}

/** `ScopeLogs`: `InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3`. */
export interface ScopeLogs {
  scope: InstrumentationScope | undefined;
  logRecords: LogRecord[];
  schemaUrl: string;
}

/**
 * `LogRecord`: `reserved 4; fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11;
 * SeverityNumber severity_number = 2; string severity_text = 3; AnyValue body = 5; repeated KeyValue attributes = 6;
 * uint32 dropped_attributes_count = 7; fixed32 flags = 8; bytes trace_id = 9; bytes span_id = 10;
 * string event_name = 12`.
 */
export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** `undefined` when the body field is absent; an empty AnyValue when it is present but empty. */
  body: AnyValue | undefined;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
}

/** `SeverityNumber` 0..24: UNSPECIFIED, then TRACE, TRACE2..4, DEBUG.., INFO.., WARN.., ERROR.., FATAL..4. */
export const severityNumberNames: readonly string[] = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];

const noBytes = new Uint8Array(0);

export function newResourceLogs(): ResourceLogs {
  return { resource: undefined, scopeLogs: [], schemaUrl: '' };
}

export function newScopeLogs(): ScopeLogs {
  return { scope: undefined, logRecords: [], schemaUrl: '' };
}

export function newLogRecord(): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: noBytes,
    spanId: noBytes,
    eventName: '',
  };
}
