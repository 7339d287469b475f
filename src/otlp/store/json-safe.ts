// What PostgreSQL refuses, converted on the way to a row: jsonb has no bigint, no NaN/Infinity, no bytes, and
// neither text nor jsonb may hold U+0000 or a lone UTF-16 surrogate ("unsupported Unicode escape sequence").
import { Buffer } from 'node:buffer';
import type { AnyValue } from '../messages/common.ts';
import type { Attributes } from '../model/common.ts';

export type JsonSafe = string | number | boolean | null | readonly JsonSafe[] | { readonly [key: string]: JsonSafe };

const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** int64/uint64: a JSON number while it is exact (|n| <= 2^53 - 1), else its decimal string (OTLP/JSON's spelling). */
export function int64Json(value: bigint): number | string {
  return value >= minSafe && value <= maxSafe ? Number(value) : value.toString();
}

/** A unix-nanosecond time: always its decimal string (today's times are past 2^53; one spelling is simpler to query). */
export const nanosJson = (value: bigint): string => value.toString();

/** double: NaN and ±Infinity as "NaN", "Infinity", "-Infinity" (the proto3 JSON spelling), other values as numbers. */
export function doubleJson(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/**
 * An AnyValue as plain JSON: strings, booleans and numbers as themselves (int64 by int64Json, doubles by doubleJson),
 * bytes as base64, arrays as arrays, kvlists as objects, the empty value as null.
 */
export function anyValueJson(value: AnyValue): JsonSafe {
  switch (value.case) {
    case 'stringValue':
    case 'boolValue':
      return value.value;
    case 'intValue':
      return int64Json(value.value);
    case 'doubleValue':
      return doubleJson(value.value);
    case 'bytesValue':
      return Buffer.from(value.value.buffer, value.value.byteOffset, value.value.byteLength).toString('base64');
    case 'arrayValue':
      return value.value.map(anyValueJson);
    case 'kvlistValue':
      return attributesJson(value.value);
    case undefined:
      return null;
  }
}

/** Attributes as one object (`metadata->'attributes'->>'http.route'`); fromEntries keeps `__proto__` an own key. */
export function attributesJson(attributes: Attributes): Record<string, JsonSafe> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, anyValueJson(value)]));
}

const unsafeText = /[\u0000\ud800-\udfff]/;
const unsafeChars = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text PostgreSQL stores: U+0000 and lone surrogates become U+FFFD (valid surrogate pairs stay). */
export function safeText(text: string): string {
  return unsafeText.test(text) ? text.replace(unsafeChars, '\ufffd') : text;
}

/** `safeText`, cut to `max` UTF-16 units (the 255-character CHECKs of telemetry_events). */
export function boundedText(text: string, max: number): string {
  const safe = safeText(text);
  return safe.length <= max ? safe : safeText(safe.slice(0, max));
}

function sanitized(value: JsonSafe): JsonSafe {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(sanitized);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [safeText(key), sanitized(member)]));
  }
  return value;
}

// JSON.stringify writes U+0000 as \u0000 and a lone surrogate as \udXXX; well-formed text never contains either.
const suspiciousJson = /\\u(?:0000|d[89a-f])/;

/**
 * JSON text for a jsonb column. The common case costs one stringify and one scan; only a document that contains
 * U+0000 or a lone surrogate is rebuilt with them replaced (a false alarm, an escaped backslash, costs one rebuild).
 */
export function jsonText(value: JsonSafe): string {
  const text = JSON.stringify(value);
  return suspiciousJson.test(text) ? JSON.stringify(sanitized(value)) : text;
}
