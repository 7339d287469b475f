import { createHash } from 'node:crypto';
import type { Model } from './types.ts';

/**
 * A hash of everything in the model that shapes the database. codegen writes it into drizzle/schema.ts; the server
 * refuses to start when the resources no longer match it ("run npm run codegen"), instead of failing on a missing column.
 */
export function storageFingerprint(model: Model): string {
  const storage = model.resources.map((r) => ({
    table: r.table,
    attributes: r.attributes.map((a) => [a.name, a.spec]),
    identities: r.identities,
    indexes: r.indexes,
    references: r.relationships.filter((rel) => rel.kind === 'belongs_to').map((rel) => [rel.sourceAttribute, rel.destination, rel.onDelete]),
  }));
  // A typed map's shape is validation, not storage (the column is jsonb either way).
  const text = JSON.stringify(storage, (key, value: unknown) => (key === 'shape' ? undefined : value));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A hash of the whole model (actions, routes, policies too): generated schemas carry it so staleness is detected. */
export function modelFingerprint(model: Model): string {
  return createHash('sha256').update(JSON.stringify(model.resources.map(({ file: _file, ...rest }) => rest))).digest('hex').slice(0, 16);
}
