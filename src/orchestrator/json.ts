import type { JsonValue } from '../../resources/define.ts';
import { OrchestratorError } from './errors.ts';

type JsonObject = { readonly [key: string]: JsonValue };

const maxDepth = 20;

/** Keys whose values are never recorded or logged (DESIGN §7: secrets never appear in logs, responses or errors). */
export const secretKey = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;
const maxChars = 64 * 1024;

/**
 * A JSON form of any value, for recording: BigInts become strings, Dates ISO strings, Errors `{ name, code, message }`,
 * Maps and Sets objects and arrays; functions, symbols and undefined are left out; cycles and deep nesting are cut;
 * values under secret-looking keys (password, token, api_key ...) become "<redacted>".
 */
export function toJson(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return null;
  if (seen.has(value)) return '[circular]';
  if (depth >= maxDepth) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (value instanceof Error) {
      const cause = value.cause === undefined ? {} : { cause: toJson(value.cause, depth + 1, seen) };
      return { name: value.name, ...(value instanceof OrchestratorError ? { code: value.code } : {}), message: value.message, ...cause };
    }
    if (Array.isArray(value) || value instanceof Set) return [...value].map((item: unknown) => toJson(item, depth + 1, seen));
    const entries = value instanceof Map ? [...value.entries()].map(([k, v]: [unknown, unknown]) => [String(k), v] as const) : Object.entries(value);
    const object: Record<string, JsonValue> = {};
    for (const [key, item] of entries) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      object[key] = secretKey.test(key) ? '<redacted>' : toJson(item, depth + 1, seen);
    }
    return object;
  } finally {
    seen.delete(value);
  }
}

const isJsonObject = (json: JsonValue): json is JsonObject => typeof json === 'object' && json !== null && !Array.isArray(json);

/** `toJson`, as an object (other values are wrapped as `{ value }`) and capped at 64 KiB (`{ truncated, bytes }`). */
export function toJsonObject(value: unknown): JsonObject {
  const json = toJson(value);
  const object: JsonObject = isJsonObject(json) ? json : { value: json };
  const text = JSON.stringify(object);
  return text.length > maxChars ? { truncated: true, chars: text.length, preview: text.slice(0, 1000) } : object;
}
