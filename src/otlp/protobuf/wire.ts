// Field-level helpers over protobufjs's low-level Reader: each checks the wire type the proto field requires
// (protobuf encoding spec, "Message Structure") before reading, so a wrong wire type is a decode error rather
// than a misread. 64-bit integers come back as bigint.
import { Buffer } from 'node:buffer';
import { Reader, type Long } from 'protobufjs/minimal.js';
import { OtlpError, undecodable } from '../errors.ts';

/** Wire types (protobuf encoding spec). */
export const wire = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;
const wireNames = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32', '6', '7'];

/** Nesting limit of AnyValue arrays/kvlists, protobufjs's and protoc's default recursion limit. */
export const maxValueDepth = 100;

/** A structural problem in the bytes; `decodeProtobuf` reports it with the message name and byte offset. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

function expectWire(tag: number, expected: number, field: string): void {
  const got = tag & 7;
  if (got !== expected) {
    throw new WireError(
      `${field} (field ${tag >>> 3}) has wire type ${wireNames[got] ?? got}, expected ${wireNames[expected] ?? expected}`,
    );
  }
}

/** Skips a field this reader does not know (proto3: unknown fields are ignored); rejects field number 0. */
export function skipField(reader: Reader, tag: number): void {
  reader.skipType(tag & 7, 0, tag >>> 3);
}

/** Reads the length prefix of a LEN field and returns where its bytes end. */
export function lengthEnd(reader: Reader, tag: number, field: string): number {
  expectWire(tag, wire.LEN, field);
  const length = reader.size();
  const end = reader.pos + length;
  if (end > reader.len)
    throw new WireError(`${field} (field ${tag >>> 3}) declares ${length} bytes, past the end of its message`);
  return end;
}

/** After a message's fields: its last field must end exactly where its length said. */
export function expectEnd(reader: Reader, end: number, message: string): void {
  if (reader.pos !== end) throw new WireError(`${message} overruns its declared length`);
}

export function readString(reader: Reader, tag: number, field: string): string {
  expectWire(tag, wire.LEN, field);
  return reader.string();
}

/** A plain Uint8Array view into the body (a Buffer body would otherwise yield Buffer slices). */
export function readBytes(reader: Reader, tag: number, field: string): Uint8Array {
  expectWire(tag, wire.LEN, field);
  const bytes = reader.bytes();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function readBool(reader: Reader, tag: number, field: string): boolean {
  expectWire(tag, wire.VARINT, field);
  return reader.bool();
}

/** uint32 (varint). */
export function readUint32(reader: Reader, tag: number, field: string): number {
  expectWire(tag, wire.VARINT, field);
  return reader.uint32();
}

/** int32 and enums (varint; negative values are sign-extended to 10 bytes on the wire). */
export function readInt32(reader: Reader, tag: number, field: string): number {
  expectWire(tag, wire.VARINT, field);
  return reader.int32();
}

export function readSint32(reader: Reader, tag: number, field: string): number {
  expectWire(tag, wire.VARINT, field);
  return reader.sint32();
}

export function readFixed32(reader: Reader, tag: number, field: string): number {
  expectWire(tag, wire.I32, field);
  return reader.fixed32();
}

export function readDouble(reader: Reader, tag: number, field: string): number {
  expectWire(tag, wire.I64, field);
  return reader.double();
}

/** fixed64 as an unsigned bigint, read as two little-endian 32-bit halves (exact, no Long). */
function fixed64Value(reader: Reader): bigint {
  const low = reader.fixed32();
  const high = reader.fixed32();
  // Below 2^53 one Number → BigInt conversion is exact and cheaper than shifting.
  return high < 0x200000 ? BigInt(high * 0x100000000 + low) : (BigInt(high) << 32n) | BigInt(low);
}

export function readFixed64(reader: Reader, tag: number, field: string): bigint {
  expectWire(tag, wire.I64, field);
  return fixed64Value(reader);
}

export function readSfixed64(reader: Reader, tag: number, field: string): bigint {
  expectWire(tag, wire.I64, field);
  return BigInt.asIntN(64, fixed64Value(reader));
}

function longToBigInt(value: Long | number, signed: boolean): bigint {
  // protobufjs returns a number only when the `long` package is missing; it is a dependency of protobufjs.
  if (typeof value === 'number') return BigInt(value);
  const unsigned = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return signed ? BigInt.asIntN(64, unsigned) : unsigned;
}

/** int64 (varint) as a signed bigint. */
export function readInt64(reader: Reader, tag: number, field: string): bigint {
  expectWire(tag, wire.VARINT, field);
  return longToBigInt(reader.int64(), true);
}

/** repeated fixed64: packed (LEN, proto3's default) or one element per field (I64); parsers must accept both. */
export function readRepeatedFixed64(reader: Reader, tag: number, field: string, into: bigint[]): void {
  if ((tag & 7) === wire.I64) {
    into.push(fixed64Value(reader));
    return;
  }
  const end = lengthEnd(reader, tag, field);
  if ((end - reader.pos) % 8 !== 0)
    throw new WireError(`${field} (field ${tag >>> 3}) packed length is not a multiple of 8`);
  while (reader.pos < end) into.push(fixed64Value(reader));
}

/** repeated double: packed (LEN) or unpacked (I64). */
export function readRepeatedDouble(reader: Reader, tag: number, field: string, into: number[]): void {
  if ((tag & 7) === wire.I64) {
    into.push(reader.double());
    return;
  }
  const end = lengthEnd(reader, tag, field);
  if ((end - reader.pos) % 8 !== 0)
    throw new WireError(`${field} (field ${tag >>> 3}) packed length is not a multiple of 8`);
  while (reader.pos < end) into.push(reader.double());
}

/** repeated uint64: packed (LEN) or unpacked (VARINT). */
export function readRepeatedUint64(reader: Reader, tag: number, field: string, into: bigint[]): void {
  if ((tag & 7) === wire.VARINT) {
    into.push(longToBigInt(reader.uint64(), false));
    return;
  }
  const end = lengthEnd(reader, tag, field);
  while (reader.pos < end) into.push(longToBigInt(reader.uint64(), false));
  expectEnd(reader, end, field);
}

/**
 * Decodes a whole body with `read`. Anything the bytes make go wrong (protobufjs's "index out of range",
 * "invalid wire type", a WireError) becomes a 400 OtlpError naming the message and byte offset. TypeError and
 * ReferenceError are bugs of ours, not of the body, and pass through.
 */
export function decodeProtobuf<T>(body: Uint8Array, messageName: string, read: (reader: Reader, end: number) => T): T {
  // A Buffer gets protobufjs's BufferReader: strings through Node's native UTF-8 decoder (invalid sequences become
  // U+FFFD, as the WHATWG decoder does) instead of a JavaScript one that allocates per character.
  const reader = Reader.create(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  try {
    return read(reader, reader.len);
  } catch (error) {
    if (error instanceof OtlpError || error instanceof TypeError || error instanceof ReferenceError) throw error;
    if (error instanceof Error) {
      throw undecodable(
        `invalid protobuf ${messageName} (near byte ${reader.pos} of ${body.length}): ${error.message}`,
        error,
      );
    }
    throw error;
  }
}
