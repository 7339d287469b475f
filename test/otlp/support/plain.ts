// Converts our decoded values into the plain JavaScript values the OpenTelemetry JS SDK holds, so oracle tests
// can compare "what went in" with "what came out".
import type { AnyValue, Attributes } from '../../../src/otlp/index.ts';

export type Plain =
  string | number | boolean | Uint8Array | null | undefined | readonly Plain[] | { readonly [key: string]: Plain };

/** int64 → number (the SDK's attribute numbers), arrays and kvlists → arrays and objects, empty → undefined. */
export function plainValue(value: AnyValue): Plain {
  switch (value.case) {
    case 'stringValue':
    case 'boolValue':
    case 'doubleValue':
    case 'bytesValue':
      return value.value;
    case 'intValue':
      return Number(value.value);
    case 'arrayValue':
      return value.value.map(plainValue);
    case 'kvlistValue':
      return plainAttributes(value.value);
    case undefined:
      return undefined;
  }
}

export function plainAttributes(attributes: Attributes): Record<string, Plain> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, plainValue(value)]));
}

/** HrTime [seconds, nanoseconds] → bigint unix nanoseconds (what OTLP carries). */
export function hrTimeNanos([seconds, nanos]: readonly [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

/** The case of each attribute value, to check that SDK integers travel as int_value and fractions as double_value. */
export function valueCases(attributes: Attributes): Record<string, AnyValue['case']> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, value.case]));
}
