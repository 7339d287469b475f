import { optionalIdProblem, requiredIdProblem } from '../ids.ts';
import type { SpanItem } from '../model/span-item.ts';
import { duplicateKeyProblem } from './attributes.ts';

/**
 * Why a span cannot be accepted, or undefined. Rules from opentelemetry-proto v1.11.0 trace.proto `Span`:
 * - trace_id: 16 bytes, not all zeros; span_id: 8 bytes, not all zeros ("This field is required"; other lengths
 *   and all zeros are "considered invalid");
 * - parent_span_id: empty for a root span, else 8 bytes (all zeros is read as a root, see normalize);
 * - name: "semantically required to be set to non-empty string";
 * - start/end time: "semantically required and it is expected that end_time >= start_time" (a stored span needs a
 *   time and a non-negative duration);
 * - links: a link's ids name a span, so they follow the same length rules;
 * - attribute keys MUST be unique.
 */
export function spanProblem(span: SpanItem): string | undefined {
  const idProblem =
    requiredIdProblem('trace_id', span.traceId, 16) ??
    requiredIdProblem('span_id', span.spanId, 8) ??
    optionalIdProblem('parent_span_id', span.parentSpanId, 8);
  if (idProblem !== undefined) return idProblem;
  if (span.name === '') return 'name is empty (a span name is required)';
  if (span.startTimeUnixNano === 0n) return 'start_time_unix_nano is missing';
  if (span.endTimeUnixNano < span.startTimeUnixNano) return 'end_time_unix_nano is before start_time_unix_nano';
  for (const [i, link] of span.links.entries()) {
    const linkProblem =
      requiredIdProblem(`links[${i}].trace_id`, link.traceId, 16) ??
      requiredIdProblem(`links[${i}].span_id`, link.spanId, 8);
    if (linkProblem !== undefined) return linkProblem;
  }
  return duplicateKeyProblem('attributes', span.attributes);
}
