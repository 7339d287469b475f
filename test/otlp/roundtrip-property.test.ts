// Property oracle: arbitrary log records (arbitrarily nested AnyValue bodies and attributes, any 64-bit times and
// int64 values, NaN/±Infinity doubles, unicode strings, ids of any length) encoded by the reference codec (protobufjs
// reflection over the official protos) or written as OTLP/JSON, then decoded by ours, give back what went in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeExport,
  type AnyValue,
  type KeyValue,
  type LogRecordItem,
  type OtlpEncoding,
} from '../../src/otlp/index.ts';
import { jsonBytes } from './support/otlp-json.ts';
import { loadReferenceCodec } from './support/reference-codec.ts';

const codec = loadReferenceCodec();
const text = fc.string({ unit: 'grapheme', maxLength: 12 });

const { anyValue } = fc.letrec<{ anyValue: AnyValue; keyValues: KeyValue[] }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    text.map((value): AnyValue => ({ case: 'stringValue', value })),
    fc.boolean().map((value): AnyValue => ({ case: 'boolValue', value })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): AnyValue => ({ case: 'intValue', value })),
    // -0 is left out: JSON has no way to write it apart from 0.
    fc.double().map((value): AnyValue => ({ case: 'doubleValue', value: Object.is(value, -0) ? 0 : value })),
    fc.uint8Array({ maxLength: 12 }).map((value): AnyValue => ({ case: 'bytesValue', value })),
    fc.array(tie('anyValue'), { maxLength: 3 }).map((value): AnyValue => ({ case: 'arrayValue', value })),
    tie('keyValues').map((value): AnyValue => ({ case: 'kvlistValue', value })),
    fc.constant<AnyValue>({ case: undefined }),
  ),
  keyValues: fc.uniqueArray(fc.record({ key: text, value: tie('anyValue') }), {
    maxLength: 3,
    selector: (entry) => entry.key,
  }),
}));

const id = (length: number) =>
  fc.oneof(
    fc.constant(new Uint8Array(0)),
    fc.uint8Array({ minLength: length, maxLength: length }),
    fc.uint8Array({ maxLength: 20 }),
  );

const record = fc.record({
  timeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  observedTimeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  severityNumber: fc.integer({ min: 0, max: 30 }),
  severityText: text,
  body: fc.option(anyValue, { nil: undefined }),
  attributes: fc.uniqueArray(fc.record({ key: text, value: anyValue }), {
    maxLength: 4,
    selector: (entry) => entry.key,
  }),
  droppedAttributesCount: fc.nat(),
  flags: fc.nat({ max: 0xffffffff }),
  traceId: id(16),
  spanId: id(8),
  eventName: text,
});
type GeneratedRecord = typeof record extends fc.Arbitrary<infer T> ? T : never;

/** AnyValue in the reference codec's object form (int64 as a decimal string). */
function referenceValue(value: AnyValue): { [key: string]: unknown } {
  switch (value.case) {
    case 'intValue':
      return { intValue: value.value.toString() };
    case 'arrayValue':
      return { arrayValue: { values: value.value.map(referenceValue) } };
    case 'kvlistValue':
      return { kvlistValue: { values: value.value.map(referenceKeyValue) } };
    case undefined:
      return {};
    default:
      return { [value.case]: value.value };
  }
}
const referenceKeyValue = ({ key, value }: KeyValue) => ({ key, value: referenceValue(value) });

/** AnyValue in OTLP/JSON: int64 as a string, special doubles as "NaN"/"Infinity", bytes as base64. */
function jsonValue(value: AnyValue): { [key: string]: unknown } {
  switch (value.case) {
    case 'intValue':
      return { intValue: value.value.toString() };
    case 'doubleValue':
      return { doubleValue: Number.isFinite(value.value) ? value.value : String(value.value) };
    case 'bytesValue':
      return { bytesValue: Buffer.from(value.value).toString('base64') };
    case 'arrayValue':
      return { arrayValue: { values: value.value.map(jsonValue) } };
    case 'kvlistValue':
      return { kvlistValue: { values: value.value.map(jsonKeyValue) } };
    case undefined:
      return {};
    default:
      return { [value.case]: value.value };
  }
}
const jsonKeyValue = ({ key, value }: KeyValue) => ({ key, value: jsonValue(value) });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const idHex = (bytes: Uint8Array, length: number) =>
  bytes.length === length && bytes.some((b) => b !== 0) ? hex(bytes) : '';

function body(encoding: OtlpEncoding, logRecord: GeneratedRecord): Uint8Array {
  const common = {
    timeUnixNano: logRecord.timeUnixNano.toString(),
    observedTimeUnixNano: logRecord.observedTimeUnixNano.toString(),
    severityNumber: logRecord.severityNumber,
    severityText: logRecord.severityText,
    droppedAttributesCount: logRecord.droppedAttributesCount,
    flags: logRecord.flags,
    eventName: logRecord.eventName,
  };
  if (encoding === 'protobuf') {
    return codec.encode('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest', {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  ...common,
                  ...(logRecord.body === undefined ? {} : { body: referenceValue(logRecord.body) }),
                  attributes: logRecord.attributes.map(referenceKeyValue),
                  traceId: logRecord.traceId,
                  spanId: logRecord.spanId,
                },
              ],
            },
          ],
        },
      ],
    });
  }
  return jsonBytes({
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: [
              {
                ...common,
                ...(logRecord.body === undefined ? {} : { body: jsonValue(logRecord.body) }),
                attributes: logRecord.attributes.map(jsonKeyValue),
                traceId: hex(logRecord.traceId),
                spanId: hex(logRecord.spanId),
              },
            ],
          },
        ],
      },
    ],
  });
}

/** The item our decoder must produce (model: empty body → undefined; invalid log ids → ''). */
function expected(logRecord: GeneratedRecord): Partial<LogRecordItem> {
  return {
    timeUnixNano: logRecord.timeUnixNano,
    observedTimeUnixNano: logRecord.observedTimeUnixNano,
    severityNumber: logRecord.severityNumber,
    severityText: logRecord.severityText,
    body: logRecord.body?.case === undefined ? undefined : logRecord.body,
    attributes: logRecord.attributes,
    droppedAttributesCount: logRecord.droppedAttributesCount,
    flags: logRecord.flags,
    traceId: idHex(logRecord.traceId, 16),
    spanId: idHex(logRecord.spanId, 8),
    eventName: logRecord.eventName,
  };
}

describe.each(['protobuf', 'json'] as const)('arbitrary log records, %s', (encoding) => {
  it('decode to what went in', () => {
    fc.assert(
      fc.property(record, (logRecord) => {
        const batch = decodeExport('logs', encoding, body(encoding, logRecord));
        const [item] = batch.items;
        if (batch.received !== 1 || batch.rejected !== 0 || item === undefined)
          throw new Error(`not accepted: ${JSON.stringify(batch.partialSuccess)}`);
        const { resource: _resource, scope: _scope, severityName: _name, ...actual } = item;
        // toEqual: NaN equals NaN, a bigint never equals a number, typed arrays compare by content.
        expect(actual).toEqual(expected(logRecord));
      }),
      { numRuns: 300 },
    );
  });
});
