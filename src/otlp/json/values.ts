// Scalar and structure helpers of the OTLP/JSON readers: the proto3 JSON mapping with OTLP's deviations
// (opentelemetry-proto v1.11.0 docs/specification.md, "JSON Protobuf Encoding"):
// - trace/span ids are case-insensitive hex, not base64; other bytes fields stay base64;
// - 64-bit integers are decimal strings, "and either numbers or strings are accepted when decoding";
// - enums are integers (senders MUST NOT use names; like the Collector we still accept the proto names);
// - keys are lowerCamelCase; unknown keys are ignored. The proto (snake_case) names are "not valid" for senders,
//   but proto3 JSON parsers accept them and so does the Collector, so we read them rather than drop data silently.
// - `null` is the field's default (proto3 JSON mapping): readers skip null members.
// The value readers below read one member each; json-message.ts reads whole messages from tables of them.
import { Buffer } from 'node:buffer';

export type JsonObject = { readonly [key: string]: unknown };

/** Where in the document a value is wrong; segments are prepended as the error travels up (no cost on success). */
export class JsonShapeError extends Error {
  readonly path: string[];
  readonly problem: string;

  constructor(segment: string, problem: string) {
    super(problem);
    this.name = 'JsonShapeError';
    this.path = [segment];
    this.problem = problem;
  }

  pathText(): string {
    return this.path
      .filter((segment) => segment !== '')
      .map((segment, i) => (i === 0 || segment.startsWith('[') ? segment : `.${segment}`))
      .join('');
  }
}

/** Adds `segment` in front of a JsonShapeError's path; other errors pass through unchanged. */
export function within(error: unknown, segment: string): unknown {
  if (error instanceof JsonShapeError) error.path.unshift(segment);
  return error;
}

/** A short description of a wrong value; never recursive (a wrong value may be nested 100 000 levels deep). */
function shown(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0
      ? 'an empty object'
      : `an object with ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}`;
  }
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function wrong(key: string, expected: string, value: unknown): JsonShapeError {
  return new JsonShapeError(key, `expected ${expected}, got ${shown(value)}`);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message (a JSON object). */
export function asMessage(value: unknown, key: string): JsonObject {
  if (!isJsonObject(value)) throw wrong(key, 'an object', value);
  return value;
}

/** An embedded message read by `read`; errors inside it carry `key`. */
export function message<T>(value: unknown, key: string, read: (value: JsonObject) => T): T {
  const object = asMessage(value, key);
  try {
    return read(object);
  } catch (error) {
    throw within(error, key);
  }
}

/** A repeated field: each element read by `read`; errors carry `key[i]`. */
export function list<T>(value: unknown, key: string, read: (value: unknown, key: string) => T): T[] {
  if (!Array.isArray(value)) throw wrong(key, 'an array', value);
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) {
    try {
      out.push(read(value[i], ''));
    } catch (error) {
      throw within(within(error, `[${i}]`), key);
    }
  }
  return out;
}

/** A repeated message field. */
export function messages<T>(value: unknown, key: string, read: (value: JsonObject) => T): T[] {
  return list(value, key, (element) => read(asMessage(element, '')));
}

export function string(value: unknown, key: string): string {
  if (typeof value !== 'string') throw wrong(key, 'a string', value);
  return value;
}

export function bool(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw wrong(key, 'true or false', value);
  return value;
}

const integerText = /^-?\d+$/;

/** 32-bit integers: a JSON number or a decimal string, within [min, max]. */
function int32In(value: unknown, key: string, min: number, max: number): number {
  const number = typeof value === 'string' && integerText.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw wrong(key, `an integer from ${min} to ${max}`, value);
  }
  return number;
}

/** uint32 and fixed32. */
export function uint32(value: unknown, key: string): number {
  return int32In(value, key, 0, 0xffffffff);
}

/** int32, sint32 and sfixed32. */
export function int32(value: unknown, key: string): number {
  return int32In(value, key, -0x80000000, 0x7fffffff);
}

const uint64Max = 2n ** 64n - 1n;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

function int64In(value: unknown, key: string, signed: boolean): bigint {
  let result: bigint | undefined;
  if (typeof value === 'string' && integerText.test(value)) result = BigInt(value);
  // Numbers are accepted too; above 2^53 they have already lost precision in JSON.parse (best effort).
  else if (typeof value === 'number' && Number.isInteger(value)) result = BigInt(value);
  const [min, max] = signed ? [int64Min, int64Max] : [0n, uint64Max];
  if (result === undefined || result < min || result > max) {
    throw wrong(key, `${signed ? 'a signed' : 'an unsigned'} 64-bit integer (decimal string or number)`, value);
  }
  return result;
}

/** fixed64 and uint64. */
export function uint64(value: unknown, key: string): bigint {
  return int64In(value, key, false);
}

/** int64 and sfixed64. */
export function int64(value: unknown, key: string): bigint {
  return int64In(value, key, true);
}

const specialDoubles: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
};
const decimalText = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** double: a JSON number, "NaN", "Infinity", "-Infinity", or a number in a string (proto3 JSON mapping). */
export function double(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const special = specialDoubles[value];
    if (special !== undefined) return special;
    if (decimalText.test(value)) return Number(value);
  }
  throw wrong(key, 'a number', value);
}

/** An enum: its integer (any int32: proto3 enums are open), or one of its proto names. */
export function enumNumber(value: unknown, key: string, names: readonly string[]): number {
  if (typeof value === 'string' && !integerText.test(value)) {
    const index = names.indexOf(value);
    if (index < 0) throw wrong(key, `an enum number or one of ${names.join(', ')}`, value);
    return index;
  }
  return int32(value, key);
}

const hexText = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * trace_id / span_id / parent_span_id: case-insensitive hex (spec "JSON Protobuf Encoding"). A string that is not
 * whole hex bytes (e.g. base64 with its `=` padding or `+`/`/`) cannot be decoded at all → 400. Hex of the wrong
 * length decodes, and the item is then rejected by validation, exactly as the same bytes in protobuf would be.
 */
export function hexId(value: unknown, key: string): Uint8Array {
  if (typeof value !== 'string' || !hexText.test(value)) {
    throw wrong(key, 'a hex-encoded id (OTLP/JSON ids are hex, not base64)', value);
  }
  const bytes = Buffer.from(value, 'hex');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const base64Text = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Other bytes fields (AnyValue.bytes_value): base64, standard or URL-safe, padded or not (proto3 JSON mapping). */
export function base64(value: unknown, key: string): Uint8Array {
  if (typeof value !== 'string' || !base64Text.test(value) || value.replace(/=+$/, '').length % 4 === 1) {
    throw wrong(key, 'base64 bytes', value);
  }
  const bytes = Buffer.from(value, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
