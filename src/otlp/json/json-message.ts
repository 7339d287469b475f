// The one OTLP/JSON message reader: a message is declared as a table of its fields, lowerCamelCase name → value
// reader, and read by one loop over the members present, like the protobuf readers loop over the fields present.
// Each field is also found under its proto (snake_case) name, derived here from the lowerCamelCase one
// (values.ts says why both spellings are read). Null members are skipped; unknown members are ignored.
import { enumNumber, isJsonObject, JsonShapeError, list, message, messages, type JsonObject } from './values.ts';

/** Reads one member's value; errors name `key`, the member as the sender spelled it. */
export type ValueReader<TValue, TContext = void> = (value: unknown, key: string, context: TContext) => TValue;

/** Reads a message; `context` is passed on to its fields' readers (AnyValue's nesting depth, or nothing). */
export type JsonReader<T, TContext = void> = (object: JsonObject, context: TContext) => T;

/**
 * A proto3 `oneof` stored in one property as `{ case, value }`: one member per case. A second member present is an
 * error (proto3 JSON mapping); `conflict` starts its message.
 */
export interface Oneof<TValue, TContext = void> {
  readonly conflict: string;
  readonly members: readonly (readonly [name: string, read: ValueReader<TValue, TContext>])[];
}

/** The fields of message `T`: each property is read by a value reader of its type, or is a oneof. */
export type JsonFields<T, TContext = void> = {
  readonly [K in keyof T]?: ValueReader<T[K], TContext> | Oneof<T[K], TContext>;
};

/** The `{ case, value }` union of a oneof whose case names map to value types as in `TCases`. */
type OneofCase<TCases> = {
  [C in keyof TCases & string]: { readonly case: C; readonly value: TCases[C] };
}[keyof TCases & string];

/** How one member is read: its value reader, the property it sets, and the bit of its oneof (0: not in one). */
interface Member<T, TContext> {
  readonly property: keyof T;
  readonly read: ValueReader<T[keyof T], TContext>;
  readonly oneof: number;
  readonly conflict: string;
}

function member<T, K extends keyof T, TContext>(
  property: K,
  read: ValueReader<T[K], TContext>,
  oneof = 0,
  conflict = '',
): Member<T, TContext> {
  return { property, read, oneof, conflict };
}

/** `schemaUrl` → `schema_url` (protoc's lowerCamelCase json_name, reversed). */
function protoName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function conflictError(conflict: string, previous: unknown, key: string): JsonShapeError {
  const previousCase = isJsonObject(previous) ? String(previous['case']) : String(previous);
  return new JsonShapeError(key, `${conflict} (${previousCase} and ${key})`);
}

/**
 * A reader for the message `create()` makes, from the table of its fields. The member lookup is built once, here.
 * @example
 * const statusFromJson = jsonMessage(newSpanStatus, { message: string, code: enumOf(statusCodeNames) });
 */
export function jsonMessage<T, TContext = void>(
  create: () => T,
  fields: NoInfer<JsonFields<T, TContext>>,
): JsonReader<T, TContext> {
  const members = new Map<string, Member<T, TContext>>();
  const add = (name: string, found: Member<T, TContext>) => {
    for (const spelling of new Set([name, protoName(name)])) {
      // A table mistake, found when the module loads.
      if (members.has(spelling)) throw new Error(`OTLP/JSON member ${spelling} is declared twice`);
      members.set(spelling, found);
    }
  };
  let oneofs = 0;
  for (const property in fields) {
    const entry = fields[property];
    if (entry === undefined) continue;
    if (typeof entry === 'function') {
      add(property, member(property, entry));
      continue;
    }
    if (oneofs === 31) throw new Error('a message has more oneofs than a bit set holds');
    const bit = 1 << oneofs++;
    for (const [name, read] of entry.members) add(name, member(property, read, bit, entry.conflict));
  }
  return (object, context) => {
    const target = create();
    // Which oneofs are set: a bit each, so the hot path never reads the target back.
    let set = 0;
    for (const key in object) {
      const value = object[key];
      if (value === null || value === undefined) continue;
      const found = members.get(key);
      if (found === undefined) continue;
      const next = found.read(value, key, context);
      if (found.oneof !== 0) {
        if ((set & found.oneof) !== 0) throw conflictError(found.conflict, target[found.property], key);
        set |= found.oneof;
      }
      target[found.property] = next;
    }
    return target;
  };
}

/**
 * A oneof from its cases, case name → value reader.
 * @example
 * const numberValue = oneof('sets more than one value', { asDouble: double, asInt: int64 });
 */
export function oneof<TCases, TContext = void>(
  conflict: string,
  cases: { readonly [C in keyof TCases]: ValueReader<TCases[C], TContext> },
): Oneof<OneofCase<TCases>, TContext> {
  const members: [string, ValueReader<OneofCase<TCases>, TContext>][] = [];
  for (const name in cases) members.push([name, oneofCase(name, cases[name])]);
  return { conflict, members };
}

function oneofCase<TCases, C extends keyof TCases & string, TContext>(
  name: C,
  read: ValueReader<TCases[C], TContext>,
): ValueReader<OneofCase<TCases>, TContext> {
  return (value, key, context) => ({ case: name, value: read(value, key, context) });
}

/** An embedded message field. */
export function messageOf<T>(read: (object: JsonObject) => T): ValueReader<T> {
  return (value, key) => message(value, key, read);
}

/** A repeated message field. */
export function messagesOf<T>(read: (object: JsonObject) => T): ValueReader<T[]> {
  return (value, key) => messages(value, key, read);
}

/** A repeated scalar field. */
export function listOf<T>(read: (value: unknown, key: string) => T): ValueReader<T[]> {
  return (value, key) => list(value, key, read);
}

/** An enum field (values.ts `enumNumber`). */
export function enumOf(names: readonly string[]): ValueReader<number> {
  return (value, key) => enumNumber(value, key, names);
}
