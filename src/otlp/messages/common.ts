// OTLP common messages, written from opentelemetry-proto v1.11.0 opentelemetry/proto/common/v1/common.proto.
// Field names are the proto's in lowerCamelCase (the OTLP/JSON keys); oneofs are `{ case, value }` unions.

/**
 * `AnyValue` (common.proto): `oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
 * double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
 * int32 string_value_strindex = 8 }`. "It is valid for all values to be unspecified in which case this AnyValue is
 * considered to be 'empty'" → `case: undefined`. `string_value_strindex` is profiles-only and read as empty (the
 * proto says to process the data "as if this value were absent or empty"). int64 is a `bigint`.
 */
export type AnyValue =
  | { readonly case: 'stringValue'; readonly value: string }
  | { readonly case: 'boolValue'; readonly value: boolean }
  | { readonly case: 'intValue'; readonly value: bigint }
  | { readonly case: 'doubleValue'; readonly value: number }
  | { readonly case: 'arrayValue'; readonly value: readonly AnyValue[] }
  | { readonly case: 'kvlistValue'; readonly value: readonly KeyValue[] }
  | { readonly case: 'bytesValue'; readonly value: Uint8Array }
  | { readonly case: undefined };

/** `KeyValue` (common.proto): `string key = 1; AnyValue value = 2; int32 key_strindex = 3` (profiles-only, ignored). */
export interface KeyValue {
  readonly key: string;
  /** An unset `value` field reads as the empty AnyValue. */
  readonly value: AnyValue;
}

/** `InstrumentationScope` (common.proto): `string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4`. */
export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export const emptyAnyValue: AnyValue = { case: undefined };

export function newInstrumentationScope(): InstrumentationScope {
  return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
}
