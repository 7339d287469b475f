// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/logs/v1/logs.proto and
// collector/logs/v1/logs_service.proto. Members are lowerCamelCase (proto names accepted); unknown ones ignored.
import type { ExportLogsServiceRequest } from '../messages/collector.ts';
import {
  newLogRecord,
  newResourceLogs,
  newScopeLogs,
  severityNumberNames,
  type LogRecord,
  type ResourceLogs,
  type ScopeLogs,
} from '../messages/logs.ts';
import { anyValueFromJson, keyValuesFromJson, resourceFromJson, scopeFromJson } from './common-reader.ts';
import { decodeJson } from './decode-json.ts';
import { enumNumber, hexId, message, messages, string, uint32, uint64, type JsonObject } from './values.ts';

/** logs_service.proto `ExportLogsServiceRequest`: resourceLogs. */
function exportLogsRequestFromJson(object: JsonObject): ExportLogsServiceRequest {
  const request: ExportLogsServiceRequest = { resourceLogs: [] };
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'resourceLogs':
      case 'resource_logs':
        request.resourceLogs = messages(member, key, resourceLogsFromJson);
        break;
      default:
    }
  }
  return request;
}

/** logs.proto `ResourceLogs`: resource · scopeLogs · schemaUrl. */
function resourceLogsFromJson(object: JsonObject): ResourceLogs {
  const result = newResourceLogs();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'resource':
        result.resource = message(member, key, resourceFromJson);
        break;
      case 'scopeLogs':
      case 'scope_logs':
        result.scopeLogs = messages(member, key, scopeLogsFromJson);
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

/** logs.proto `ScopeLogs`: scope · logRecords · schemaUrl. */
function scopeLogsFromJson(object: JsonObject): ScopeLogs {
  const result = newScopeLogs();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'scope':
        result.scope = message(member, key, scopeFromJson);
        break;
      case 'logRecords':
      case 'log_records':
        result.logRecords = messages(member, key, logRecordFromJson);
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
 * logs.proto `LogRecord`: timeUnixNano · observedTimeUnixNano · severityNumber · severityText · body · attributes ·
 * droppedAttributesCount · flags · traceId (hex) · spanId (hex) · eventName.
 */
function logRecordFromJson(object: JsonObject): LogRecord {
  const record = newLogRecord();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'timeUnixNano':
      case 'time_unix_nano':
        record.timeUnixNano = uint64(member, key);
        break;
      case 'observedTimeUnixNano':
      case 'observed_time_unix_nano':
        record.observedTimeUnixNano = uint64(member, key);
        break;
      case 'severityNumber':
      case 'severity_number':
        record.severityNumber = enumNumber(member, key, severityNumberNames);
        break;
      case 'severityText':
      case 'severity_text':
        record.severityText = string(member, key);
        break;
      case 'body':
        record.body = message(member, key, (body) => anyValueFromJson(body, 0));
        break;
      case 'attributes':
        record.attributes = keyValuesFromJson(member, key);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        record.droppedAttributesCount = uint32(member, key);
        break;
      case 'flags':
        record.flags = uint32(member, key);
        break;
      case 'traceId':
      case 'trace_id':
        record.traceId = hexId(member, key);
        break;
      case 'spanId':
      case 'span_id':
        record.spanId = hexId(member, key);
        break;
      case 'eventName':
      case 'event_name':
        record.eventName = string(member, key);
        break;
      default:
    }
  }
  return record;
}

/** Decodes an OTLP/HTTP JSON logs body (`application/json`). */
export function decodeLogsRequestJson(body: Uint8Array): ExportLogsServiceRequest {
  return decodeJson(body, 'ExportLogsServiceRequest', exportLogsRequestFromJson);
}
