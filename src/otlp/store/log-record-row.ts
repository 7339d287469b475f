import type { LogRecordItem } from '../model/log-record-item.ts';
import { anyValueJson, attributesJson, boundedText, nanosJson } from './json-safe.ts';
import { contentKey, maxTextLength, type RowContext, type TelemetryRow } from './row.ts';

const severityPrefix = 'SEVERITY_NUMBER_';

/** A log's event name part: its severity text, else its severity number's name (INFO, WARN2…), else UNSPECIFIED. */
export function severityOf(record: Pick<LogRecordItem, 'severityText' | 'severityName'>): string {
  if (record.severityText !== '') return record.severityText;
  const name = record.severityName ?? `${severityPrefix}UNSPECIFIED`;
  return name.startsWith(severityPrefix) ? name.slice(severityPrefix.length) : name;
}

/**
 * A log record → `["otlp","log",<severity>]`, `measurements.severity_number`, body, attributes, times, flags and
 * event name in `metadata`, trace_id/span_id when the record names them. Dedup key: a hash of the stored content
 * ("log:<sha256>"), so a retried request stores nothing new; two records identical in every field (time included)
 * are indistinguishable and stored once.
 */
export function logRecordRow(record: LogRecordItem, context: RowContext): TelemetryRow {
  const row = {
    eventName: ['otlp', 'log', boundedText(severityOf(record), maxTextLength)],
    measurements: `{"severity_number":${record.severityNumber}}`,
    metadata: context.metadata(
      {
        time_unix_nano: nanosJson(record.timeUnixNano),
        observed_time_unix_nano: nanosJson(record.observedTimeUnixNano),
        severity_number: record.severityNumber,
        severity_name: record.severityName ?? null,
        severity_text: record.severityText,
        body: record.body === undefined ? null : anyValueJson(record.body),
        attributes: attributesJson(record.attributes),
        dropped_attributes_count: record.droppedAttributesCount,
        flags: record.flags,
        event_name: record.eventName,
      },
      record.resource,
      record.scope,
    ),
    traceId: record.traceId === '' ? null : record.traceId,
    spanId: record.spanId === '' ? null : record.spanId,
    source: context.source(record.resource),
  };
  return { ...row, dedupKey: contentKey('log', row) };
}
