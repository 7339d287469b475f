// OTLP/JSON readers for opentelemetry-proto v1.11.0 opentelemetry/proto/common/v1/common.proto and
// opentelemetry/proto/resource/v1/resource.proto, declared as field tables for json-message.ts.
import {
  emptyAnyValue,
  newInstrumentationScope,
  type AnyValue,
  type InstrumentationScope,
  type KeyValue,
} from '../messages/common.ts';
import { newResource, type Resource } from '../messages/resource.ts';
import { maxValueDepth } from '../protobuf/wire.ts';
import { jsonMessage, messageOf, messagesOf, oneof, type JsonFields, type JsonReader } from './json-message.ts';
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

/** An AnyValue being read: its oneof case so far (string_value_strindex is read only to catch a second case). */
interface AnyValueRead {
  value: Exclude<AnyValue, { case: undefined }> | { readonly case: 'stringValueStrindex'; readonly value: number } | undefined;
}

/**
 * common.proto `AnyValue`, `oneof value`: stringValue · boolValue · intValue (int64) · doubleValue ·
 * arrayValue {values} · kvlistValue {values} · bytesValue (base64) · stringValueStrindex (profiles only, read as
 * empty). More than one member of the oneof is an error (proto3 JSON mapping); `{}` is the empty AnyValue.
 */
const anyValueCases = jsonMessage<AnyValueRead, number>(() => ({ value: undefined }), {
  value: oneof('AnyValue sets more than one value', {
    stringValue: string,
    boolValue: bool,
    intValue: int64,
    doubleValue: double,
    arrayValue: (value: unknown, key: string, depth: number) =>
      message(value, key, (array) => arrayValueFromJson(array, depth).values),
    kvlistValue: (value: unknown, key: string, depth: number) =>
      message(value, key, (kvlist) => keyValueListFromJson(kvlist, depth).values),
    bytesValue: base64,
    stringValueStrindex: int32,
  }),
});

export function anyValueFromJson(object: JsonObject, depth: number): AnyValue {
  if (depth > maxValueDepth) throw new JsonShapeError('', `AnyValue nested deeper than ${maxValueDepth} levels`);
  const { value } = anyValueCases(object, depth);
  return value === undefined || value.case === 'stringValueStrindex' ? emptyAnyValue : value;
}

/** common.proto `ArrayValue`: values (repeated AnyValue). */
const arrayValueFromJson = jsonMessage<{ values: AnyValue[] }, number>(() => ({ values: [] }), {
  values: (value, key, depth) => messages(value, key, (element) => anyValueFromJson(element, depth + 1)),
});

/** common.proto `KeyValueList`: values (repeated KeyValue). */
const keyValueListFromJson = jsonMessage<{ values: KeyValue[] }, number>(() => ({ values: [] }), {
  values: (value, key, depth) => messages(value, key, (element) => keyValueFromJson(element, depth + 1)),
});

/** common.proto `KeyValue`: key · value (AnyValue) · keyStrindex (profiles only, ignored). */
const keyValueFromJson: JsonReader<KeyValue, number> = jsonMessage<{ key: string; value: AnyValue }, number>(
  () => ({ key: '', value: emptyAnyValue }),
  { key: string, value: (value, key, depth) => message(value, key, (object) => anyValueFromJson(object, depth)) },
);

const attributeFromJson = (object: JsonObject): KeyValue => keyValueFromJson(object, 0);

/** A repeated KeyValue field (attributes, metadata, filteredAttributes). */
export function keyValuesFromJson(value: unknown, key: string): KeyValue[] {
  return messages(value, key, attributeFromJson);
}

/** common.proto `InstrumentationScope`: name · version · attributes · droppedAttributesCount. */
export const scopeFromJson: JsonReader<InstrumentationScope> = jsonMessage(newInstrumentationScope, {
  name: string,
  version: string,
  attributes: keyValuesFromJson,
  droppedAttributesCount: uint32,
});

/** resource.proto `Resource`: attributes · droppedAttributesCount · entityRefs ([Development], ignored). */
export const resourceFromJson: JsonReader<Resource> = jsonMessage(newResource, {
  attributes: keyValuesFromJson,
  droppedAttributesCount: uint32,
});

/** The property of `T` holding a list of `TItem` (`spans` of ScopeSpans, `scopeSpans` of ResourceSpans, ...). */
type ListOf<T, TItem> = { [K in keyof T]: T[K] extends TItem[] ? K : never }[keyof T] & string;

/** What every signal's envelope shape tells apart: its messages and the names of their repeated fields. */
export interface SignalEnvelope<TItem, TScope, TResource, TRequest> {
  readonly newScope: () => TScope;
  readonly items: ListOf<TScope, TItem>;
  readonly newResource: () => TResource;
  readonly scopes: ListOf<TResource, TScope>;
  readonly newRequest: () => TRequest;
  readonly resources: ListOf<TRequest, TResource>;
}

/**
 * The envelope all three signals share, `ExportXServiceRequest { resourceX }` → `ResourceX { resource · scopeX ·
 * schemaUrl }` → `ScopeX { scope · <items> · schemaUrl }`, read around a signal's item reader.
 * @example exportRequestFromJson({ newScope: newScopeSpans, items: 'spans', ... }, spanFromJson)
 */
export function exportRequestFromJson<
  TItem,
  TScope extends { scope: InstrumentationScope | undefined; schemaUrl: string },
  TResource extends { resource: Resource | undefined; schemaUrl: string },
  TRequest,
>(envelope: SignalEnvelope<TItem, TScope, TResource, TRequest>, item: JsonReader<TItem>): JsonReader<TRequest> {
  // The repeated field's name is a variable, so the tables are typed by assertion; `ListOf` keeps the names honest.
  const scopeFields = { scope: messageOf(scopeFromJson), [envelope.items]: messagesOf(item), schemaUrl: string } as JsonFields<TScope>;
  const scopeReader = jsonMessage(envelope.newScope, scopeFields);
  const resourceFields = { resource: messageOf(resourceFromJson), [envelope.scopes]: messagesOf(scopeReader), schemaUrl: string } as JsonFields<TResource>;
  const resourceReader = jsonMessage(envelope.newResource, resourceFields);
  return jsonMessage(envelope.newRequest, { [envelope.resources]: messagesOf(resourceReader) } as JsonFields<TRequest>);
}
