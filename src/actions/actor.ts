import type { JsonValue } from '../../resources/define.ts';

/**
 * Who is acting. Authentication (a later issue) fills it from the bearer token; `actor(...)` values and policies
 * read it. `type` is admin | agent | collector; agents carry their agents.id as `id`.
 */
export type Actor = Readonly<Record<string, JsonValue>>;

/** Follows `actor('a', 'b')` into the actor; undefined when there is no actor or the path is missing. */
export function actorValue(actor: Actor | undefined, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = actor;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Readonly<Record<string, JsonValue>>)[key];
  }
  return current;
}
