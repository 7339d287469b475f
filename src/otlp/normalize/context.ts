import type { InstrumentationScope } from '../messages/common.ts';
import type { Resource } from '../messages/resource.ts';
import type { ResourceInfo, ScopeInfo } from '../model/common.ts';

/** `Resource*.resource` ("If this field is not set then no resource info is known") plus its `schema_url`. */
export function resourceInfo(resource: Resource | undefined, schemaUrl: string): ResourceInfo {
  return {
    attributes: resource?.attributes ?? [],
    droppedAttributesCount: resource?.droppedAttributesCount ?? 0,
    schemaUrl,
  };
}

/** `Scope*.scope` ("when InstrumentationScope isn't set, it is equivalent with an empty ... name") plus its `schema_url`. */
export function scopeInfo(scope: InstrumentationScope | undefined, schemaUrl: string): ScopeInfo {
  return {
    name: scope?.name ?? '',
    version: scope?.version ?? '',
    attributes: scope?.attributes ?? [],
    droppedAttributesCount: scope?.droppedAttributesCount ?? 0,
    schemaUrl,
  };
}
