// Turns a reference-codec fixture object (bytes as Uint8Array, 64-bit integers as decimal strings) into OTLP/JSON the
// way the specification writes it: ids as hex, other bytes as base64 (specification.md "JSON Protobuf Encoding").
import { Buffer } from 'node:buffer';

const idKeys = new Set(['traceId', 'spanId', 'parentSpanId']);

export function toOtlpJson(value: unknown, key = ''): unknown {
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString(idKeys.has(key) ? 'hex' : 'base64');
  }
  if (Array.isArray(value)) return value.map((element) => toOtlpJson(element, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, toOtlpJson(member, name)]));
  }
  return value;
}

export const jsonBytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
