// OTLP trace messages, written from opentelemetry-proto v1.11.0 opentelemetry/proto/trace/v1/trace.proto.
// bytes ids stay bytes here (normalization turns them into lower-case hex and checks their length);
// fixed64 times are bigint nanoseconds; enums are their numbers (proto3 enums are open: unknown numbers are kept).
import type { InstrumentationScope, KeyValue } from './common.ts';
import type { Resource } from './resource.ts';

/** `ResourceSpans`: `Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; reserved 1000`. */
export interface ResourceSpans {
  resource: Resource | undefined;
  scopeSpans: ScopeSpans[];
  schemaUrl: string;
}

/** `ScopeSpans`: `InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3`. */
export interface ScopeSpans {
  scope: InstrumentationScope | undefined;
  spans: Span[];
  schemaUrl: string;
}

/**
 * `Span`: `bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
 * fixed32 flags = 16; string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7;
 * fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
 * repeated Event events = 11; uint32 dropped_events_count = 12; repeated Link links = 13;
 * uint32 dropped_links_count = 14; Status status = 15`.
 */
export interface Span {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  parentSpanId: Uint8Array;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  /** "Semantically when Status isn't set, it means span's status code is unset". */
  status: SpanStatus | undefined;
}

/** `Span.Event`: `fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4`. */
export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

/**
 * `Span.Link`: `bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4;
 * uint32 dropped_attributes_count = 5; fixed32 flags = 6`.
 */
export interface SpanLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

/** `Status`: `reserved 1; string message = 2; StatusCode code = 3`. */
export interface SpanStatus {
  message: string;
  code: number;
}

/** `Span.SpanKind`. */
export const spanKindNames = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;

/** `Status.StatusCode`. */
export const statusCodeNames = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

const noBytes = new Uint8Array(0);

export function newResourceSpans(): ResourceSpans {
  return { resource: undefined, scopeSpans: [], schemaUrl: '' };
}

export function newScopeSpans(): ScopeSpans {
  return { scope: undefined, spans: [], schemaUrl: '' };
}

export function newSpan(): Span {
  return {
    traceId: noBytes,
    spanId: noBytes,
    traceState: '',
    parentSpanId: noBytes,
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: undefined,
  };
}

export function newSpanEvent(): SpanEvent {
  return { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
}

export function newSpanLink(): SpanLink {
  return { traceId: noBytes, spanId: noBytes, traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 };
}

export function newSpanStatus(): SpanStatus {
  return { message: '', code: 0 };
}
