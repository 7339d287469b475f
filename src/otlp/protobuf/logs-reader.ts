// Protobuf readers for opentelemetry-proto v1.11.0 opentelemetry/proto/logs/v1/logs.proto and
// opentelemetry/proto/collector/logs/v1/logs_service.proto.
import type { Reader } from 'protobufjs/minimal.js';
import { newInstrumentationScope } from '../messages/common.ts';
import type { ExportLogsServiceRequest } from '../messages/collector.ts';
import {
  newLogRecord,
  newResourceLogs,
  newScopeLogs,
  type LogRecord,
  type ResourceLogs,
  type ScopeLogs,
} from '../messages/logs.ts';
import { newResource } from '../messages/resource.ts';
import { readAnyValue, readInstrumentationScope, readKeyValue, readResource } from './common-reader.ts';
import {
  decodeProtobuf,
  expectEnd,
  lengthEnd,
  readBytes,
  readFixed32,
  readFixed64,
  readInt32,
  readString,
  readUint32,
  skipField,
} from './wire.ts';

/**
 * logs_service.proto `ExportLogsServiceRequest`:
 *   1 resource_logs repeated ResourceLogs
 */
export function readExportLogsServiceRequest(reader: Reader, end: number): ExportLogsServiceRequest {
  const request: ExportLogsServiceRequest = { resourceLogs: [] };
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        request.resourceLogs.push(
          readResourceLogs(reader, lengthEnd(reader, tag, 'ExportLogsServiceRequest.resource_logs'), newResourceLogs()),
        );
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ExportLogsServiceRequest');
  return request;
}

/**
 * logs.proto `ResourceLogs`:
 *   1 resource Resource · 2 scope_logs repeated ScopeLogs · 3 schema_url string · reserved 1000
 */
function readResourceLogs(reader: Reader, end: number, message: ResourceLogs): ResourceLogs {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        message.resource = readResource(
          reader,
          lengthEnd(reader, tag, 'ResourceLogs.resource'),
          message.resource ?? newResource(),
        );
        break;
      case 2:
        message.scopeLogs.push(
          readScopeLogs(reader, lengthEnd(reader, tag, 'ResourceLogs.scope_logs'), newScopeLogs()),
        );
        break;
      case 3:
        message.schemaUrl = readString(reader, tag, 'ResourceLogs.schema_url');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ResourceLogs');
  return message;
}

/**
 * logs.proto `ScopeLogs`:
 *   1 scope InstrumentationScope · 2 log_records repeated LogRecord · 3 schema_url string
 */
function readScopeLogs(reader: Reader, end: number, message: ScopeLogs): ScopeLogs {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        message.scope = readInstrumentationScope(
          reader,
          lengthEnd(reader, tag, 'ScopeLogs.scope'),
          message.scope ?? newInstrumentationScope(),
        );
        break;
      case 2:
        message.logRecords.push(readLogRecord(reader, lengthEnd(reader, tag, 'ScopeLogs.log_records'), newLogRecord()));
        break;
      case 3:
        message.schemaUrl = readString(reader, tag, 'ScopeLogs.schema_url');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ScopeLogs');
  return message;
}

/**
 * logs.proto `LogRecord`:
 *   reserved 4 · 1 time_unix_nano fixed64 · 11 observed_time_unix_nano fixed64 · 2 severity_number SeverityNumber ·
 *   3 severity_text string · 5 body AnyValue · 6 attributes repeated KeyValue · 7 dropped_attributes_count uint32 ·
 *   8 flags fixed32 · 9 trace_id bytes · 10 span_id bytes · 12 event_name string
 */
function readLogRecord(reader: Reader, end: number, record: LogRecord): LogRecord {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        record.timeUnixNano = readFixed64(reader, tag, 'LogRecord.time_unix_nano');
        break;
      case 2:
        record.severityNumber = readInt32(reader, tag, 'LogRecord.severity_number');
        break;
      case 3:
        record.severityText = readString(reader, tag, 'LogRecord.severity_text');
        break;
      case 5:
        record.body = readAnyValue(reader, lengthEnd(reader, tag, 'LogRecord.body'), 0);
        break;
      case 6:
        record.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'LogRecord.attributes')));
        break;
      case 7:
        record.droppedAttributesCount = readUint32(reader, tag, 'LogRecord.dropped_attributes_count');
        break;
      case 8:
        record.flags = readFixed32(reader, tag, 'LogRecord.flags');
        break;
      case 9:
        record.traceId = readBytes(reader, tag, 'LogRecord.trace_id');
        break;
      case 10:
        record.spanId = readBytes(reader, tag, 'LogRecord.span_id');
        break;
      case 11:
        record.observedTimeUnixNano = readFixed64(reader, tag, 'LogRecord.observed_time_unix_nano');
        break;
      case 12:
        record.eventName = readString(reader, tag, 'LogRecord.event_name');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'LogRecord');
  return record;
}

/** Decodes an OTLP/HTTP binary logs body (`application/x-protobuf`). */
export function decodeLogsRequestProtobuf(body: Uint8Array): ExportLogsServiceRequest {
  return decodeProtobuf(body, 'ExportLogsServiceRequest', readExportLogsServiceRequest);
}
