import type { SpanItem } from '../model/span-item.ts';
import { attributesJson, boundedText, int64Json, nanosJson, safeText } from './json-safe.ts';
import { maxTextLength, type RowContext, type TelemetryRow } from './row.ts';

/** The idempotency key of a span: trace id + span id ("Retries of the same spans do not duplicate them"). */
export const spanDedupKey = (traceId: string, spanId: string): string => `span:${traceId}:${spanId}`;

/**
 * A span → `["otlp","span",<name>]`, `measurements.duration_ns`, everything else of the span in `metadata`
 * (times as decimal strings of unix ns, kind and status as numbers plus their proto names, parent_span_id null for
 * a root), trace_id/span_id lower-case hex, source = service.name.
 */
export function spanRow(span: SpanItem, context: RowContext): TelemetryRow {
  return {
    eventName: ['otlp', 'span', boundedText(span.name, maxTextLength)],
    measurements: `{"duration_ns":${JSON.stringify(int64Json(span.endTimeUnixNano - span.startTimeUnixNano))}}`,
    metadata: context.metadata(
      {
        name: span.name,
        kind: span.kind,
        kind_name: span.kindName ?? null,
        parent_span_id: span.parentSpanId === '' ? null : span.parentSpanId,
        trace_state: span.traceState,
        flags: span.flags,
        start_time_unix_nano: nanosJson(span.startTimeUnixNano),
        end_time_unix_nano: nanosJson(span.endTimeUnixNano),
        status: { code: span.status.code, code_name: span.status.codeName ?? null, message: span.status.message },
        attributes: attributesJson(span.attributes),
        dropped_attributes_count: span.droppedAttributesCount,
        events: span.events.map((event) => ({
          time_unix_nano: nanosJson(event.timeUnixNano),
          name: event.name,
          attributes: attributesJson(event.attributes),
          dropped_attributes_count: event.droppedAttributesCount,
        })),
        dropped_events_count: span.droppedEventsCount,
        links: span.links.map((link) => ({
          trace_id: link.traceId,
          span_id: link.spanId,
          trace_state: link.traceState,
          attributes: attributesJson(link.attributes),
          dropped_attributes_count: link.droppedAttributesCount,
          flags: link.flags,
        })),
        dropped_links_count: span.droppedLinksCount,
      },
      span.resource,
      span.scope,
    ),
    traceId: safeText(span.traceId),
    spanId: safeText(span.spanId),
    source: context.source(span.resource),
    dedupKey: spanDedupKey(span.traceId, span.spanId),
  };
}
