import type { Attributes } from '../model/common.ts';

/**
 * "Attribute keys MUST be unique ... The behavior of software that receives duplicated keys can be unpredictable"
 * (common.proto and every `attributes` field). Stored as one JSON object, a duplicate would silently lose a value,
 * so an item whose own attributes repeat a key is rejected instead.
 */
export function duplicateKeyProblem(field: string, attributes: Attributes): string | undefined {
  if (attributes.length < 2) return undefined;
  const seen = new Set<string>();
  for (const { key } of attributes) {
    if (seen.has(key)) return `${field} repeat the key ${JSON.stringify(key)} (keys MUST be unique)`;
    seen.add(key);
  }
  return undefined;
}
