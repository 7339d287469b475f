// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/logs/v1/logs.proto and
// collector/logs/v1/logs_service.proto, declared as field tables for json-message.ts (leaves first: a table refers
// to the readers of its fields).
import type { ExportLogsServiceRequest } from '../messages/collector.ts';
import { newLogRecord, newResourceLogs, newScopeLogs, severityNumberNames } from '../messages/logs.ts';
import { anyValueFromJson, exportRequestFromJson, keyValuesFromJson } from './common-reader.ts';
import { decodeJson } from './decode-json.ts';
import { enumOf, jsonMessage, messageOf } from './json-message.ts';
import { hexId, string, uint32, uint64, type JsonObject } from './values.ts';

/**
 * logs.proto `LogRecord`: timeUnixNano · observedTimeUnixNano · severityNumber · severityText · body · attributes ·
 * droppedAttributesCount · flags · traceId (hex) · spanId (hex) · eventName.
 */
const logRecordFromJson = jsonMessage(newLogRecord, {
  timeUnixNano: uint64,
  observedTimeUnixNano: uint64,
  severityNumber: enumOf(severityNumberNames),
  severityText: string,
  body: messageOf((body: JsonObject) => anyValueFromJson(body, 0)),
  attributes: keyValuesFromJson,
  droppedAttributesCount: uint32,
  flags: uint32,
  traceId: hexId,
  spanId: hexId,
  eventName: string,
});

/** logs_service.proto `ExportLogsServiceRequest` → logs.proto `ResourceLogs` → `ScopeLogs` → logRecords. */
const exportLogsRequestFromJson = exportRequestFromJson(
  {
    newScope: newScopeLogs,
    items: 'logRecords',
    newResource: newResourceLogs,
    scopes: 'scopeLogs',
    newRequest: (): ExportLogsServiceRequest => ({ resourceLogs: [] }),
    resources: 'resourceLogs',
  },
  logRecordFromJson,
);

/** Decodes an OTLP/HTTP JSON logs body (`application/json`). */
export function decodeLogsRequestJson(body: Uint8Array): ExportLogsServiceRequest {
  return decodeJson(body, 'ExportLogsServiceRequest', exportLogsRequestFromJson);
}
