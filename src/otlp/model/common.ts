// The normalized model shared by the three signals: what decode → normalize hands to storage, the same whether
// the body was protobuf or JSON. Items reference their resource and scope objects (shared, not copied).
import type { KeyValue } from '../messages/common.ts';

/** Attributes in wire order (keys are unique in accepted items: duplicates reject the item). */
export type Attributes = readonly KeyValue[];

/** The resource an item came from: `Resource` plus the enclosing `Resource*.schema_url` (which applies to it). */
export interface ResourceInfo {
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

/** The instrumentation scope: `InstrumentationScope` plus `Scope*.schema_url` (which applies to it and its items). */
export interface ScopeInfo {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

/** The OTLP signals and the unit each counts in `rejected_<unit>` (otlp.md §1.9: spans, data points, log records). */
export const otlpSignals = ['traces', 'metrics', 'logs'] as const;
export type OtlpSignal = (typeof otlpSignals)[number];

/** What one request yielded: the accepted items and, when something was rejected or is worth a warning, the partial success. */
export interface ExportBatch<TItem> {
  readonly items: readonly TItem[];
  /** Items in the request, accepted + rejected. */
  readonly received: number;
  readonly rejected: number;
  /** `undefined` = full success: the response must leave `partial_success` unset (specification.md, "Full Success"). */
  readonly partialSuccess: PartialSuccess | undefined;
}

/**
 * `Export<signal>PartialSuccess` without the signal: `rejected` becomes rejected_spans / rejected_data_points /
 * rejected_log_records. `rejected: 0` with a message is a warning (the spec allows it; the message MUST be non-empty).
 */
export interface PartialSuccess {
  readonly rejected: number;
  readonly errorMessage: string;
}
