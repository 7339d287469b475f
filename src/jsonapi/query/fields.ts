import type { Model, ResourceModel } from '../../../resources/model/index.ts';
import { ApiError } from '../errors.ts';
import { shownAttributeNames } from '../document/shape.ts';
import { commaList, isRecord } from './raw.ts';
import type { Hidden } from './parse-query.ts';

/** Sparse fieldsets by JSON:API type: only these attributes and relationships are rendered. */
export type Fieldsets = ReadonlyMap<string, ReadonlySet<string>>;

/** `fields[agent]=status,work_items`: per type, a subset of its attributes and relationships. */
export function parseFields(raw: unknown, model: Model, hidden: Hidden): { fieldsets: Fieldsets; errors: ApiError[] } {
  const fieldsets = new Map<string, ReadonlySet<string>>();
  if (raw === undefined) return { fieldsets, errors: [] };
  if (!isRecord(raw)) {
    return { fieldsets, errors: [new ApiError('INVALID_FIELDS', { detail: 'fields must be given per type: fields[type]=a,b', source: { parameter: 'fields' } })] };
  }
  const errors: ApiError[] = [];
  for (const [type, value] of Object.entries(raw)) {
    const parameter = `fields[${type}]`;
    const resource: ResourceModel | undefined = model.resources.find((r) => r.jsonApi?.type === type);
    if (resource === undefined) {
      errors.push(new ApiError('INVALID_FIELDS', { detail: `${type} is not a resource type`, source: { parameter } }));
      continue;
    }
    if (typeof value !== 'string') {
      errors.push(new ApiError('INVALID_FIELDS', { detail: `${parameter} must be a comma-separated list`, source: { parameter } }));
      continue;
    }
    const invisible = hidden(resource);
    const known = new Set([...shownAttributeNames(resource), ...resource.relationships.map((r) => r.name)].filter((f) => !invisible.has(f)));
    const names = commaList(value);
    for (const name of names.filter((n) => !known.has(n))) {
      errors.push(new ApiError('INVALID_FIELDS', { detail: `${type} has no field ${name}`, source: { parameter } }));
    }
    fieldsets.set(type, new Set(names));
  }
  return { fieldsets, errors };
}
