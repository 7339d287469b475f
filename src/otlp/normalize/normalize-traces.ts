import { optionalIdHex, toHex } from '../ids.ts';
import type { ExportTraceServiceRequest } from '../messages/collector.ts';
import { spanKindNames, statusCodeNames, type Span } from '../messages/trace.ts';
import type { ExportBatch, ResourceInfo, ScopeInfo } from '../model/common.ts';
import type { SpanItem } from '../model/span-item.ts';
import { spanProblem } from '../validate/span-problem.ts';
import { resourceInfo, scopeInfo } from './context.ts';
import { ProblemLog } from './problem-log.ts';

function spanItem(span: Span, resource: ResourceInfo, scope: ScopeInfo): SpanItem {
  const status = span.status;
  return {
    resource,
    scope,
    traceId: toHex(span.traceId),
    spanId: toHex(span.spanId),
    // "If this is a root span, then this field must be empty"; an all-zero id is no parent either.
    parentSpanId: optionalIdHex(span.parentSpanId),
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    kindName: spanKindNames[span.kind],
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: toHex(link.traceId),
      spanId: toHex(link.spanId),
      traceState: link.traceState,
      attributes: link.attributes,
      droppedAttributesCount: link.droppedAttributesCount,
      flags: link.flags,
    })),
    droppedLinksCount: span.droppedLinksCount,
    // "when Status isn't set, it means span's status code is unset, i.e. assume STATUS_CODE_UNSET (code = 0)".
    status: {
      code: status?.code ?? 0,
      codeName: statusCodeNames[status?.code ?? 0],
      message: status?.message ?? '',
    },
  };
}

/** ExportTraceServiceRequest → one item per span; invalid spans are counted and named in the partial success. */
export function normalizeTraces(request: ExportTraceServiceRequest): ExportBatch<SpanItem> {
  const problems = new ProblemLog();
  const items: SpanItem[] = [];
  let received = 0;
  for (const [r, resourceSpans] of request.resourceSpans.entries()) {
    const resource = resourceInfo(resourceSpans.resource, resourceSpans.schemaUrl);
    for (const [s, scopeSpans] of resourceSpans.scopeSpans.entries()) {
      const scope = scopeInfo(scopeSpans.scope, scopeSpans.schemaUrl);
      for (const [i, span] of scopeSpans.spans.entries()) {
        received += 1;
        const item = spanItem(span, resource, scope);
        const problem = spanProblem(item);
        if (problem === undefined) items.push(item);
        else problems.reject(`resource_spans[${r}].scope_spans[${s}].spans[${i}]`, problem);
      }
    }
  }
  return { items, received, rejected: problems.rejected, partialSuccess: problems.partialSuccess(received, 'spans') };
}
