// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/trace/v1/trace.proto and
// collector/trace/v1/trace_service.proto. Members are lowerCamelCase (proto names accepted); unknown ones ignored.
import type { ExportTraceServiceRequest } from '../messages/collector.ts';
import {
  newResourceSpans,
  newScopeSpans,
  newSpan,
  newSpanEvent,
  newSpanLink,
  newSpanStatus,
  spanKindNames,
  statusCodeNames,
  type ResourceSpans,
  type ScopeSpans,
  type Span,
  type SpanEvent,
  type SpanLink,
  type SpanStatus,
} from '../messages/trace.ts';
import { keyValuesFromJson, resourceFromJson, scopeFromJson } from './common-reader.ts';
import { decodeJson } from './decode-json.ts';
import { enumNumber, hexId, message, messages, string, uint32, uint64, type JsonObject } from './values.ts';

/** trace_service.proto `ExportTraceServiceRequest`: resourceSpans. */
function exportTraceRequestFromJson(object: JsonObject): ExportTraceServiceRequest {
  const request: ExportTraceServiceRequest = { resourceSpans: [] };
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'resourceSpans':
      case 'resource_spans':
        request.resourceSpans = messages(member, key, resourceSpansFromJson);
        break;
      default:
    }
  }
  return request;
}

/** trace.proto `ResourceSpans`: resource · scopeSpans · schemaUrl. */
function resourceSpansFromJson(object: JsonObject): ResourceSpans {
  const result = newResourceSpans();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'resource':
        result.resource = message(member, key, resourceFromJson);
        break;
      case 'scopeSpans':
      case 'scope_spans':
        result.scopeSpans = messages(member, key, scopeSpansFromJson);
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

/** trace.proto `ScopeSpans`: scope · spans · schemaUrl. */
function scopeSpansFromJson(object: JsonObject): ScopeSpans {
  const result = newScopeSpans();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'scope':
        result.scope = message(member, key, scopeFromJson);
        break;
      case 'spans':
        result.spans = messages(member, key, spanFromJson);
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
 * trace.proto `Span`: traceId (hex) · spanId (hex) · traceState · parentSpanId (hex) · flags · name · kind ·
 * startTimeUnixNano · endTimeUnixNano · attributes · droppedAttributesCount · events · droppedEventsCount · links ·
 * droppedLinksCount · status.
 */
function spanFromJson(object: JsonObject): Span {
  const span = newSpan();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'traceId':
      case 'trace_id':
        span.traceId = hexId(member, key);
        break;
      case 'spanId':
      case 'span_id':
        span.spanId = hexId(member, key);
        break;
      case 'traceState':
      case 'trace_state':
        span.traceState = string(member, key);
        break;
      case 'parentSpanId':
      case 'parent_span_id':
        span.parentSpanId = hexId(member, key);
        break;
      case 'flags':
        span.flags = uint32(member, key);
        break;
      case 'name':
        span.name = string(member, key);
        break;
      case 'kind':
        span.kind = enumNumber(member, key, spanKindNames);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        span.startTimeUnixNano = uint64(member, key);
        break;
      case 'endTimeUnixNano':
      case 'end_time_unix_nano':
        span.endTimeUnixNano = uint64(member, key);
        break;
      case 'attributes':
        span.attributes = keyValuesFromJson(member, key);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        span.droppedAttributesCount = uint32(member, key);
        break;
      case 'events':
        span.events = messages(member, key, eventFromJson);
        break;
      case 'droppedEventsCount':
      case 'dropped_events_count':
        span.droppedEventsCount = uint32(member, key);
        break;
      case 'links':
        span.links = messages(member, key, linkFromJson);
        break;
      case 'droppedLinksCount':
      case 'dropped_links_count':
        span.droppedLinksCount = uint32(member, key);
        break;
      case 'status':
        span.status = message(member, key, statusFromJson);
        break;
      default:
    }
  }
  return span;
}

/** trace.proto `Span.Event`: timeUnixNano · name · attributes · droppedAttributesCount. */
function eventFromJson(object: JsonObject): SpanEvent {
  const event = newSpanEvent();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'timeUnixNano':
      case 'time_unix_nano':
        event.timeUnixNano = uint64(member, key);
        break;
      case 'name':
        event.name = string(member, key);
        break;
      case 'attributes':
        event.attributes = keyValuesFromJson(member, key);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        event.droppedAttributesCount = uint32(member, key);
        break;
      default:
    }
  }
  return event;
}

/** trace.proto `Span.Link`: traceId (hex) · spanId (hex) · traceState · attributes · droppedAttributesCount · flags. */
function linkFromJson(object: JsonObject): SpanLink {
  const link = newSpanLink();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'traceId':
      case 'trace_id':
        link.traceId = hexId(member, key);
        break;
      case 'spanId':
      case 'span_id':
        link.spanId = hexId(member, key);
        break;
      case 'traceState':
      case 'trace_state':
        link.traceState = string(member, key);
        break;
      case 'attributes':
        link.attributes = keyValuesFromJson(member, key);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        link.droppedAttributesCount = uint32(member, key);
        break;
      case 'flags':
        link.flags = uint32(member, key);
        break;
      default:
    }
  }
  return link;
}

/** trace.proto `Status`: message · code (StatusCode). */
function statusFromJson(object: JsonObject): SpanStatus {
  const status = newSpanStatus();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'message':
        status.message = string(member, key);
        break;
      case 'code':
        status.code = enumNumber(member, key, statusCodeNames);
        break;
      default:
    }
  }
  return status;
}

/** Decodes an OTLP/HTTP JSON traces body (`application/json`). */
export function decodeTraceRequestJson(body: Uint8Array): ExportTraceServiceRequest {
  return decodeJson(body, 'ExportTraceServiceRequest', exportTraceRequestFromJson);
}
