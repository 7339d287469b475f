// Protobuf readers for opentelemetry-proto v1.11.0 opentelemetry/proto/trace/v1/trace.proto and
// opentelemetry/proto/collector/trace/v1/trace_service.proto.
import type { Reader } from 'protobufjs/minimal.js';
import { newInstrumentationScope } from '../messages/common.ts';
import type { ExportTraceServiceRequest } from '../messages/collector.ts';
import { newResource } from '../messages/resource.ts';
import {
  newResourceSpans,
  newScopeSpans,
  newSpan,
  newSpanEvent,
  newSpanLink,
  newSpanStatus,
  type ResourceSpans,
  type ScopeSpans,
  type Span,
  type SpanEvent,
  type SpanLink,
  type SpanStatus,
} from '../messages/trace.ts';
import { readInstrumentationScope, readKeyValue, readResource } from './common-reader.ts';
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
 * trace_service.proto `ExportTraceServiceRequest`:
 *   1 resource_spans repeated ResourceSpans
 */
export function readExportTraceServiceRequest(reader: Reader, end: number): ExportTraceServiceRequest {
  const request: ExportTraceServiceRequest = { resourceSpans: [] };
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        request.resourceSpans.push(
          readResourceSpans(
            reader,
            lengthEnd(reader, tag, 'ExportTraceServiceRequest.resource_spans'),
            newResourceSpans(),
          ),
        );
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ExportTraceServiceRequest');
  return request;
}

/**
 * trace.proto `ResourceSpans`:
 *   1 resource Resource · 2 scope_spans repeated ScopeSpans · 3 schema_url string · reserved 1000
 */
function readResourceSpans(reader: Reader, end: number, message: ResourceSpans): ResourceSpans {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        message.resource = readResource(
          reader,
          lengthEnd(reader, tag, 'ResourceSpans.resource'),
          message.resource ?? newResource(),
        );
        break;
      case 2:
        message.scopeSpans.push(
          readScopeSpans(reader, lengthEnd(reader, tag, 'ResourceSpans.scope_spans'), newScopeSpans()),
        );
        break;
      case 3:
        message.schemaUrl = readString(reader, tag, 'ResourceSpans.schema_url');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ResourceSpans');
  return message;
}

/**
 * trace.proto `ScopeSpans`:
 *   1 scope InstrumentationScope · 2 spans repeated Span · 3 schema_url string
 */
function readScopeSpans(reader: Reader, end: number, message: ScopeSpans): ScopeSpans {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        message.scope = readInstrumentationScope(
          reader,
          lengthEnd(reader, tag, 'ScopeSpans.scope'),
          message.scope ?? newInstrumentationScope(),
        );
        break;
      case 2:
        message.spans.push(readSpan(reader, lengthEnd(reader, tag, 'ScopeSpans.spans'), newSpan()));
        break;
      case 3:
        message.schemaUrl = readString(reader, tag, 'ScopeSpans.schema_url');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ScopeSpans');
  return message;
}

/**
 * trace.proto `Span`:
 *   1 trace_id bytes · 2 span_id bytes · 3 trace_state string · 4 parent_span_id bytes · 16 flags fixed32 ·
 *   5 name string · 6 kind SpanKind · 7 start_time_unix_nano fixed64 · 8 end_time_unix_nano fixed64 ·
 *   9 attributes repeated KeyValue · 10 dropped_attributes_count uint32 · 11 events repeated Event ·
 *   12 dropped_events_count uint32 · 13 links repeated Link · 14 dropped_links_count uint32 · 15 status Status
 */
function readSpan(reader: Reader, end: number, span: Span): Span {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        span.traceId = readBytes(reader, tag, 'Span.trace_id');
        break;
      case 2:
        span.spanId = readBytes(reader, tag, 'Span.span_id');
        break;
      case 3:
        span.traceState = readString(reader, tag, 'Span.trace_state');
        break;
      case 4:
        span.parentSpanId = readBytes(reader, tag, 'Span.parent_span_id');
        break;
      case 5:
        span.name = readString(reader, tag, 'Span.name');
        break;
      case 6:
        span.kind = readInt32(reader, tag, 'Span.kind');
        break;
      case 7:
        span.startTimeUnixNano = readFixed64(reader, tag, 'Span.start_time_unix_nano');
        break;
      case 8:
        span.endTimeUnixNano = readFixed64(reader, tag, 'Span.end_time_unix_nano');
        break;
      case 9:
        span.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'Span.attributes')));
        break;
      case 10:
        span.droppedAttributesCount = readUint32(reader, tag, 'Span.dropped_attributes_count');
        break;
      case 11:
        span.events.push(readEvent(reader, lengthEnd(reader, tag, 'Span.events'), newSpanEvent()));
        break;
      case 12:
        span.droppedEventsCount = readUint32(reader, tag, 'Span.dropped_events_count');
        break;
      case 13:
        span.links.push(readLink(reader, lengthEnd(reader, tag, 'Span.links'), newSpanLink()));
        break;
      case 14:
        span.droppedLinksCount = readUint32(reader, tag, 'Span.dropped_links_count');
        break;
      case 15:
        span.status = readStatus(reader, lengthEnd(reader, tag, 'Span.status'), span.status ?? newSpanStatus());
        break;
      case 16:
        span.flags = readFixed32(reader, tag, 'Span.flags');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Span');
  return span;
}

/**
 * trace.proto `Span.Event`:
 *   1 time_unix_nano fixed64 · 2 name string · 3 attributes repeated KeyValue · 4 dropped_attributes_count uint32
 */
function readEvent(reader: Reader, end: number, event: SpanEvent): SpanEvent {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        event.timeUnixNano = readFixed64(reader, tag, 'Span.Event.time_unix_nano');
        break;
      case 2:
        event.name = readString(reader, tag, 'Span.Event.name');
        break;
      case 3:
        event.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'Span.Event.attributes')));
        break;
      case 4:
        event.droppedAttributesCount = readUint32(reader, tag, 'Span.Event.dropped_attributes_count');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Span.Event');
  return event;
}

/**
 * trace.proto `Span.Link`:
 *   1 trace_id bytes · 2 span_id bytes · 3 trace_state string · 4 attributes repeated KeyValue ·
 *   5 dropped_attributes_count uint32 · 6 flags fixed32
 */
function readLink(reader: Reader, end: number, link: SpanLink): SpanLink {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        link.traceId = readBytes(reader, tag, 'Span.Link.trace_id');
        break;
      case 2:
        link.spanId = readBytes(reader, tag, 'Span.Link.span_id');
        break;
      case 3:
        link.traceState = readString(reader, tag, 'Span.Link.trace_state');
        break;
      case 4:
        link.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'Span.Link.attributes')));
        break;
      case 5:
        link.droppedAttributesCount = readUint32(reader, tag, 'Span.Link.dropped_attributes_count');
        break;
      case 6:
        link.flags = readFixed32(reader, tag, 'Span.Link.flags');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Span.Link');
  return link;
}

/**
 * trace.proto `Status`:
 *   reserved 1 · 2 message string · 3 code StatusCode
 */
function readStatus(reader: Reader, end: number, status: SpanStatus): SpanStatus {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 2:
        status.message = readString(reader, tag, 'Status.message');
        break;
      case 3:
        status.code = readInt32(reader, tag, 'Status.code');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Status');
  return status;
}

/** Decodes an OTLP/HTTP binary traces body (`application/x-protobuf`). */
export function decodeTraceRequestProtobuf(body: Uint8Array): ExportTraceServiceRequest {
  return decodeProtobuf(body, 'ExportTraceServiceRequest', readExportTraceServiceRequest);
}
