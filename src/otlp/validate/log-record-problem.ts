import type { LogRecordItem } from '../model/log-record-item.ts';
import { duplicateKeyProblem } from './attributes.ts';

/**
 * Why a log record cannot be accepted, or undefined. logs.proto makes every LogRecord field optional, and invalid
 * trace/span ids only mean "not associated with a trace" (normalize drops them with a warning); what remains is
 * the common rule that attribute keys MUST be unique.
 */
export function logRecordProblem(record: LogRecordItem): string | undefined {
  return duplicateKeyProblem('attributes', record.attributes);
}
