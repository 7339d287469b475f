import type { KeyValue } from './common.ts';

/**
 * `Resource` (opentelemetry-proto v1.11.0 opentelemetry/proto/resource/v1/resource.proto):
 * `repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; repeated EntityRef entity_refs = 3`.
 * `entity_refs` is [Development] and not read.
 */
export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export function newResource(): Resource {
  return { attributes: [], droppedAttributesCount: 0 };
}
