import type { spanKindNames, statusCodeNames } from '../messages/trace.ts';
import type { Attributes, ResourceInfo, ScopeInfo } from './common.ts';

export type SpanKindName = (typeof spanKindNames)[number];
export type StatusCodeName = (typeof statusCodeNames)[number];

/**
 * One accepted span (trace.proto `Span`), normalized: ids are lower-case hex (trace id 32 digits, span id 16,
 * `parentSpanId` '' for a root span, including an all-zero parent id), times are bigint unix nanoseconds, enums are
 * their numbers plus their proto names (`undefined` for numbers the proto does not define: proto3 enums are open).
 */
export interface SpanItem {
  readonly resource: ResourceInfo;
  readonly scope: ScopeInfo;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  /** W3C trace flags in bits 0-7, has-is-remote 0x100, is-remote 0x200 (trace.proto `SpanFlags`). */
  readonly flags: number;
  readonly name: string;
  readonly kind: number;
  readonly kindName: SpanKindName | undefined;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEventItem[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLinkItem[];
  readonly droppedLinksCount: number;
  readonly status: {
    readonly code: number;
    readonly codeName: StatusCodeName | undefined;
    readonly message: string;
  };
}

export interface SpanEventItem {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

export interface SpanLinkItem {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly flags: number;
}
