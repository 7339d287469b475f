import type { AnyValue } from '../messages/common.ts';
import type { Attributes, ResourceInfo, ScopeInfo } from './common.ts';

/**
 * One accepted log record (logs.proto `LogRecord`), normalized: `traceId`/`spanId` lower-case hex, or '' when the
 * record is not associated with a trace/span (absent, all-zero or wrong-length ids: logs.proto says receivers
 * SHOULD assume no association then). Times are bigint unix ns, 0 = unknown.
 */
export interface LogRecordItem {
  readonly resource: ResourceInfo;
  readonly scope: ScopeInfo;
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  readonly severityNumber: number;
  /** `SEVERITY_NUMBER_INFO`…; `undefined` for numbers outside 0..24. */
  readonly severityName: string | undefined;
  readonly severityText: string;
  /** `undefined` when the record has no body, or an empty one. */
  readonly body: AnyValue | undefined;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly flags: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly eventName: string;
}
