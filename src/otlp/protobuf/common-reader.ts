// Protobuf readers for opentelemetry-proto v1.11.0 opentelemetry/proto/common/v1/common.proto and
// opentelemetry/proto/resource/v1/resource.proto.
import type { Reader } from 'protobufjs/minimal.js';
import { emptyAnyValue, type AnyValue, type InstrumentationScope, type KeyValue } from '../messages/common.ts';
import type { Resource } from '../messages/resource.ts';
import {
  expectEnd,
  lengthEnd,
  maxValueDepth,
  readBool,
  readBytes,
  readDouble,
  readInt32,
  readInt64,
  readString,
  readUint32,
  skipField,
  WireError,
} from './wire.ts';

/**
 * common.proto `AnyValue`, `oneof value`:
 *   1 string_value string · 2 bool_value bool · 3 int_value int64 · 4 double_value double ·
 *   5 array_value ArrayValue · 6 kvlist_value KeyValueList · 7 bytes_value bytes ·
 *   8 string_value_strindex int32 (profiles only: read as empty, as the proto asks of other signals)
 * The last oneof member on the wire wins; a repeated array/kvlist member merges.
 */
export function readAnyValue(reader: Reader, end: number, depth: number): AnyValue {
  if (depth > maxValueDepth) throw new WireError(`AnyValue nested deeper than ${maxValueDepth} levels`);
  let value: AnyValue = emptyAnyValue;
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        value = { case: 'stringValue', value: readString(reader, tag, 'AnyValue.string_value') };
        break;
      case 2:
        value = { case: 'boolValue', value: readBool(reader, tag, 'AnyValue.bool_value') };
        break;
      case 3:
        value = { case: 'intValue', value: readInt64(reader, tag, 'AnyValue.int_value') };
        break;
      case 4:
        value = { case: 'doubleValue', value: readDouble(reader, tag, 'AnyValue.double_value') };
        break;
      case 5: {
        const values = value.case === 'arrayValue' ? [...value.value] : [];
        readArrayValue(reader, lengthEnd(reader, tag, 'AnyValue.array_value'), depth, values);
        value = { case: 'arrayValue', value: values };
        break;
      }
      case 6: {
        const values = value.case === 'kvlistValue' ? [...value.value] : [];
        readKeyValueList(reader, lengthEnd(reader, tag, 'AnyValue.kvlist_value'), depth, values);
        value = { case: 'kvlistValue', value: values };
        break;
      }
      case 7:
        value = { case: 'bytesValue', value: readBytes(reader, tag, 'AnyValue.bytes_value') };
        break;
      case 8:
        readInt32(reader, tag, 'AnyValue.string_value_strindex');
        value = emptyAnyValue;
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'AnyValue');
  return value;
}

/**
 * common.proto `ArrayValue`:
 *   1 values repeated AnyValue
 */
function readArrayValue(reader: Reader, end: number, depth: number, into: AnyValue[]): void {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        into.push(readAnyValue(reader, lengthEnd(reader, tag, 'ArrayValue.values'), depth + 1));
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ArrayValue');
}

/**
 * common.proto `KeyValueList`:
 *   1 values repeated KeyValue
 */
function readKeyValueList(reader: Reader, end: number, depth: number, into: KeyValue[]): void {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        into.push(readKeyValue(reader, lengthEnd(reader, tag, 'KeyValueList.values'), depth + 1));
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'KeyValueList');
}

/**
 * common.proto `KeyValue`:
 *   1 key string · 2 value AnyValue · 3 key_strindex int32 (profiles only: skipped)
 */
export function readKeyValue(reader: Reader, end: number, depth = 0): KeyValue {
  let key = '';
  let value: AnyValue = emptyAnyValue;
  let valueSeen = false;
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        key = readString(reader, tag, 'KeyValue.key');
        break;
      case 2: {
        const next = readAnyValue(reader, lengthEnd(reader, tag, 'KeyValue.value'), depth);
        // A repeated embedded message merges: an empty second occurrence keeps the first value.
        if (!valueSeen || next.case !== undefined) value = next;
        valueSeen = true;
        break;
      }
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'KeyValue');
  return { key, value };
}

/**
 * common.proto `InstrumentationScope`:
 *   1 name string · 2 version string · 3 attributes repeated KeyValue · 4 dropped_attributes_count uint32
 */
export function readInstrumentationScope(
  reader: Reader,
  end: number,
  scope: InstrumentationScope,
): InstrumentationScope {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        scope.name = readString(reader, tag, 'InstrumentationScope.name');
        break;
      case 2:
        scope.version = readString(reader, tag, 'InstrumentationScope.version');
        break;
      case 3:
        scope.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'InstrumentationScope.attributes')));
        break;
      case 4:
        scope.droppedAttributesCount = readUint32(reader, tag, 'InstrumentationScope.dropped_attributes_count');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'InstrumentationScope');
  return scope;
}

/**
 * resource.proto `Resource`:
 *   1 attributes repeated KeyValue · 2 dropped_attributes_count uint32 · 3 entity_refs repeated EntityRef ([Development], skipped)
 */
export function readResource(reader: Reader, end: number, resource: Resource): Resource {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        resource.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'Resource.attributes')));
        break;
      case 2:
        resource.droppedAttributesCount = readUint32(reader, tag, 'Resource.dropped_attributes_count');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Resource');
  return resource;
}
