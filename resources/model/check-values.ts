import type { AttributeSpec, JsonValue, LengthConstraints, RangeConstraints } from '../define.ts';
import { byKind, type KindTable } from './per-kind.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDatetime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

const checkLength = (spec: LengthConstraints, value: string): string | undefined => {
  if (spec.minLength !== undefined && value.length < spec.minLength) return `is shorter than ${spec.minLength}`;
  if (spec.maxLength !== undefined && value.length > spec.maxLength) return `is longer than ${spec.maxLength}`;
  return undefined;
};
const checkRange = (spec: RangeConstraints, value: number): string | undefined => {
  if (spec.min !== undefined && value < spec.min) return `is below the minimum ${spec.min}`;
  if (spec.max !== undefined && value > spec.max) return `is above the maximum ${spec.max}`;
  return undefined;
};

type Check = (value: JsonValue) => string | undefined;

const checkers: KindTable<Check> = {
  uuid: () => (v) => (typeof v === 'string' && uuidPattern.test(v) ? undefined : 'is not a uuid'),
  string: (spec) => (v) => (typeof v === 'string' ? checkLength(spec, v) : 'is not a string'),
  text: (spec) => (v) => (typeof v === 'string' ? checkLength(spec, v) : 'is not a string'),
  integer: (spec) => (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? checkRange(spec, v) : 'is not an integer'),
  float: (spec) => (v) => (typeof v === 'number' && Number.isFinite(v) ? checkRange(spec, v) : 'is not a number'),
  boolean: () => (v) => (typeof v === 'boolean' ? undefined : 'is not a boolean'),
  atom: (spec) => (v) =>
    typeof v === 'string' && spec.oneOf.includes(v) ? undefined : `is not one of ${spec.oneOf.map((o) => `'${o}'`).join(', ')}`,
  datetime: () => (v) => (typeof v === 'string' && isoDatetime.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'is not an ISO 8601 datetime'),
  map: () => (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'is not an object'),
  array: (spec) => (v) => {
    if (!Array.isArray(v)) return 'is not an array';
    for (const [index, item] of v.entries()) {
      const problem = valueProblem(spec.items, item);
      if (problem !== undefined) return `item ${index} ${problem}`;
    }
    return undefined;
  },
};

/** Why `value` cannot be stored in an attribute of this spec, or undefined when it can. Null is checked by the caller. */
export function valueProblem(spec: AttributeSpec, value: JsonValue): string | undefined {
  if (value === null) return spec.allowNil ? undefined : 'is null but the attribute does not allow nil';
  return byKind(checkers, spec)(value);
}

export const describeValue = (value: JsonValue): string => JSON.stringify(value);
