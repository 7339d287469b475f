import { isUnsetId, toHex } from '../ids.ts';
import type { ExportLogsServiceRequest } from '../messages/collector.ts';
import { severityNumberNames } from '../messages/logs.ts';
import type { ExportBatch } from '../model/common.ts';
import type { LogRecordItem } from '../model/log-record-item.ts';
import { logRecordProblem } from '../validate/log-record-problem.ts';
import { resourceInfo, scopeInfo } from './context.ts';
import { ProblemLog } from './problem-log.ts';

/**
 * logs.proto `LogRecord.trace_id`/`span_id` are optional: "The receivers SHOULD assume that the log record is not
 * associated with a trace [span] if ... the field contains an invalid value" (all zeros or the wrong length). So
 * such an id becomes '' and the record is kept; a wrong length is worth a warning, all zeros is just "unset".
 */
function logId(bytes: Uint8Array, byteLength: number, field: string, warn: (reason: string) => void): string {
  const hex = toHex(bytes);
  if (isUnsetId(hex)) return '';
  if (hex.length === byteLength * 2) return hex;
  warn(`${field} must be ${byteLength} bytes, got ${hex.length / 2}; the record was kept without it`);
  return '';
}

/** ExportLogsServiceRequest → one item per log record; invalid records are counted and named in the partial success. */
export function normalizeLogs(request: ExportLogsServiceRequest): ExportBatch<LogRecordItem> {
  const problems = new ProblemLog();
  const items: LogRecordItem[] = [];
  let received = 0;
  for (const [r, resourceLogs] of request.resourceLogs.entries()) {
    const resource = resourceInfo(resourceLogs.resource, resourceLogs.schemaUrl);
    for (const [s, scopeLogs] of resourceLogs.scopeLogs.entries()) {
      const scope = scopeInfo(scopeLogs.scope, scopeLogs.schemaUrl);
      for (const [i, record] of scopeLogs.logRecords.entries()) {
        received += 1;
        const where = `resource_logs[${r}].scope_logs[${s}].log_records[${i}]`;
        const warnings: string[] = [];
        const item: LogRecordItem = {
          resource,
          scope,
          timeUnixNano: record.timeUnixNano,
          observedTimeUnixNano: record.observedTimeUnixNano,
          severityNumber: record.severityNumber,
          severityName: severityNumberNames[record.severityNumber],
          severityText: record.severityText,
          // An empty AnyValue body says no more than an absent one (the JS SDK sends `{}` in JSON, nothing in protobuf).
          body: record.body?.case === undefined ? undefined : record.body,
          attributes: record.attributes,
          droppedAttributesCount: record.droppedAttributesCount,
          flags: record.flags,
          traceId: logId(record.traceId, 16, 'trace_id', (reason) => warnings.push(reason)),
          spanId: logId(record.spanId, 8, 'span_id', (reason) => warnings.push(reason)),
          eventName: record.eventName,
        };
        const problem = logRecordProblem(item);
        if (problem !== undefined) {
          problems.reject(where, problem);
          continue;
        }
        items.push(item);
        for (const warning of warnings) problems.warn(where, warning);
      }
    }
  }
  return {
    items,
    received,
    rejected: problems.rejected,
    partialSuccess: problems.partialSuccess(received, 'log records'),
  };
}
