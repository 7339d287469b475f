// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/trace/v1/trace.proto and
// collector/trace/v1/trace_service.proto, declared as field tables for json-message.ts (leaves first: a table refers
// to the readers of its fields).
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
} from '../messages/trace.ts';
import { exportRequestFromJson, keyValuesFromJson } from './common-reader.ts';
import { decodeJson } from './decode-json.ts';
import { enumOf, jsonMessage, messageOf, messagesOf } from './json-message.ts';
import { hexId, string, uint32, uint64 } from './values.ts';

/** trace.proto `Status`: message · code (StatusCode). */
const statusFromJson = jsonMessage(newSpanStatus, { message: string, code: enumOf(statusCodeNames) });

/** trace.proto `Span.Event`: timeUnixNano · name · attributes · droppedAttributesCount. */
const eventFromJson = jsonMessage(newSpanEvent, {
  timeUnixNano: uint64,
  name: string,
  attributes: keyValuesFromJson,
  droppedAttributesCount: uint32,
});

/** trace.proto `Span.Link`: traceId (hex) · spanId (hex) · traceState · attributes · droppedAttributesCount · flags. */
const linkFromJson = jsonMessage(newSpanLink, {
  traceId: hexId,
  spanId: hexId,
  traceState: string,
  attributes: keyValuesFromJson,
  droppedAttributesCount: uint32,
  flags: uint32,
});

/**
 * trace.proto `Span`: traceId (hex) · spanId (hex) · traceState · parentSpanId (hex) · flags · name · kind ·
 * startTimeUnixNano · endTimeUnixNano · attributes · droppedAttributesCount · events · droppedEventsCount · links ·
 * droppedLinksCount · status.
 */
const spanFromJson = jsonMessage(newSpan, {
  traceId: hexId,
  spanId: hexId,
  traceState: string,
  parentSpanId: hexId,
  flags: uint32,
  name: string,
  kind: enumOf(spanKindNames),
  startTimeUnixNano: uint64,
  endTimeUnixNano: uint64,
  attributes: keyValuesFromJson,
  droppedAttributesCount: uint32,
  events: messagesOf(eventFromJson),
  droppedEventsCount: uint32,
  links: messagesOf(linkFromJson),
  droppedLinksCount: uint32,
  status: messageOf(statusFromJson),
});

/** trace_service.proto `ExportTraceServiceRequest` → trace.proto `ResourceSpans` → `ScopeSpans` → spans. */
const exportTraceRequestFromJson = exportRequestFromJson(
  {
    newScope: newScopeSpans,
    items: 'spans',
    newResource: newResourceSpans,
    scopes: 'scopeSpans',
    newRequest: (): ExportTraceServiceRequest => ({ resourceSpans: [] }),
    resources: 'resourceSpans',
  },
  spanFromJson,
);

/** Decodes an OTLP/HTTP JSON traces body (`application/json`). */
export function decodeTraceRequestJson(body: Uint8Array): ExportTraceServiceRequest {
  return decodeJson(body, 'ExportTraceServiceRequest', exportTraceRequestFromJson);
}
