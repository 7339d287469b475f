// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/common/v1/common.proto and
// opentelemetry/proto/resource/v1/resource.proto. Each switches on the member name (lowerCamelCase or proto name)
// and ignores names it does not know.
import { emptyAnyValue, type AnyValue, type InstrumentationScope, type KeyValue } from '../messages/common.ts';
import type { Resource } from '../messages/resource.ts';
import { maxValueDepth } from '../protobuf/wire.ts';
import {
  base64,
  bool,
  double,
  int32,
  int64,
  JsonShapeError,
  message,
  messages,
  string,
  uint32,
  type JsonObject,
} from './values.ts';

/**
 * common.proto `AnyValue`, `oneof value`: stringValue · boolValue · intValue (int64) · doubleValue ·
 * arrayValue {values} · kvlistValue {values} · bytesValue (base64) · stringValueStrindex (profiles only, read as
 * empty). More than one member of the oneof is an error (proto3 JSON mapping); `{}` is the empty AnyValue.
 */
export function anyValueFromJson(object: JsonObject, depth: number): AnyValue {
  if (depth > maxValueDepth) throw new JsonShapeError('', `AnyValue nested deeper than ${maxValueDepth} levels`);
  let value: AnyValue = emptyAnyValue;
  let seen: string | undefined;
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    let next: AnyValue;
    switch (key) {
      case 'stringValue':
      case 'string_value':
        next = { case: 'stringValue', value: string(member, key) };
        break;
      case 'boolValue':
      case 'bool_value':
        next = { case: 'boolValue', value: bool(member, key) };
        break;
      case 'intValue':
      case 'int_value':
        next = { case: 'intValue', value: int64(member, key) };
        break;
      case 'doubleValue':
      case 'double_value':
        next = { case: 'doubleValue', value: double(member, key) };
        break;
      case 'arrayValue':
      case 'array_value':
        next = { case: 'arrayValue', value: message(member, key, (array) => arrayValueFromJson(array, depth)) };
        break;
      case 'kvlistValue':
      case 'kvlist_value':
        next = { case: 'kvlistValue', value: message(member, key, (kvlist) => keyValueListFromJson(kvlist, depth)) };
        break;
      case 'bytesValue':
      case 'bytes_value':
        next = { case: 'bytesValue', value: base64(member, key) };
        break;
      case 'stringValueStrindex':
      case 'string_value_strindex':
        int32(member, key);
        next = emptyAnyValue;
        break;
      default:
        continue;
    }
    if (seen !== undefined) throw new JsonShapeError(key, `AnyValue sets more than one value (${seen} and ${key})`);
    seen = key;
    value = next;
  }
  return value;
}

/** common.proto `ArrayValue`: values (repeated AnyValue). */
function arrayValueFromJson(object: JsonObject, depth: number): AnyValue[] {
  let values: AnyValue[] = [];
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'values':
        values = messages(member, key, (element) => anyValueFromJson(element, depth + 1));
        break;
      default:
    }
  }
  return values;
}

/** common.proto `KeyValueList`: values (repeated KeyValue). */
function keyValueListFromJson(object: JsonObject, depth: number): KeyValue[] {
  let values: KeyValue[] = [];
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'values':
        values = messages(member, key, (element) => keyValueFromJson(element, depth + 1));
        break;
      default:
    }
  }
  return values;
}

/** common.proto `KeyValue`: key · value (AnyValue) · keyStrindex (profiles only, ignored). */
export function keyValueFromJson(object: JsonObject, depth = 0): KeyValue {
  let key = '';
  let value: AnyValue = emptyAnyValue;
  for (const name in object) {
    const member = object[name];
    if (member === null || member === undefined) continue;
    switch (name) {
      case 'key':
        key = string(member, name);
        break;
      case 'value':
        value = message(member, name, (object) => anyValueFromJson(object, depth));
        break;
      default:
    }
  }
  return { key, value };
}

/** A repeated KeyValue field (attributes, metadata, filteredAttributes). */
export function keyValuesFromJson(value: unknown, key: string): KeyValue[] {
  return messages(value, key, (element) => keyValueFromJson(element));
}

/** common.proto `InstrumentationScope`: name · version · attributes · droppedAttributesCount. */
export function scopeFromJson(object: JsonObject): InstrumentationScope {
  const scope: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'name':
        scope.name = string(member, key);
        break;
      case 'version':
        scope.version = string(member, key);
        break;
      case 'attributes':
        scope.attributes = keyValuesFromJson(member, key);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        scope.droppedAttributesCount = uint32(member, key);
        break;
      default:
    }
  }
  return scope;
}

/** resource.proto `Resource`: attributes · droppedAttributesCount · entityRefs ([Development], ignored). */
export function resourceFromJson(object: JsonObject): Resource {
  const resource: Resource = { attributes: [], droppedAttributesCount: 0 };
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'attributes':
        resource.attributes = keyValuesFromJson(member, key);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        resource.droppedAttributesCount = uint32(member, key);
        break;
      default:
    }
  }
  return resource;
}
