import { Buffer } from 'node:buffer';

/** Lower-case hex of an id's bytes (the one spelling stored and compared everywhere). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const zeroHex = /^0*$/;

/** Empty or all zeros: trace.proto and logs.proto call such ids invalid, i.e. "not set". */
export function isUnsetId(hex: string): boolean {
  return zeroHex.test(hex);
}

/** An optional id (parent span id, exemplar and log ids): '' when absent or all zeros, else its hex. */
export function optionalIdHex(bytes: Uint8Array): string {
  const hex = toHex(bytes);
  return isUnsetId(hex) ? '' : hex;
}

/**
 * A required id (trace.proto `Span.trace_id`/`span_id`, `Link` ids): "An ID with all zeroes OR of length other than
 * 16 [8] bytes is considered invalid". Returns what is wrong, or undefined.
 */
export function requiredIdProblem(field: string, hex: string, byteLength: number): string | undefined {
  if (hex.length !== byteLength * 2) return `${field} must be ${byteLength} bytes, got ${hex.length / 2}`;
  if (isUnsetId(hex)) return `${field} is all zeros`;
  return undefined;
}

/** An optional id: '' or exactly `byteLength` bytes. */
export function optionalIdProblem(field: string, hex: string, byteLength: number): string | undefined {
  if (hex === '' || hex.length === byteLength * 2) return undefined;
  return `${field} must be empty or ${byteLength} bytes, got ${hex.length / 2}`;
}
