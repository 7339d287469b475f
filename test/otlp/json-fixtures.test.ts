// Hand-made OTLP/JSON bodies for the JSON specifics of opentelemetry-proto docs/specification.md ("JSON Protobuf
// Encoding") and the proto3 JSON mapping: hex ids in any case, 64-bit integers as strings or numbers, enums as
// integers (names tolerated), unknown members ignored, base64 ids refused.
import { describe, expect, it } from 'vitest';
import { decodeExport, OtlpError, type OtlpSignal } from '../../src/otlp/index.ts';
import { jsonBytes } from './support/otlp-json.ts';
import { plainAttributes } from './support/plain.ts';

const TRACE = '5B8EFFF798038103D269B633813FC60C';
const SPAN = 'EEE19B7EC3C1B174';

const traces = (spans: readonly Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  jsonBytes({ resourceSpans: [{ scopeSpans: [{ spans }] }], ...extra });
const span = (fields: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId: SPAN,
  name: 'op',
  startTimeUnixNano: '1544712660000000000',
  endTimeUnixNano: '1544712661000000000',
  ...fields,
});

function decodeError(signal: OtlpSignal, body: Uint8Array): OtlpError {
  try {
    decodeExport(signal, 'json', body);
  } catch (error) {
    if (error instanceof OtlpError) return error;
    throw error;
  }
  throw new Error('expected the body to be undecodable');
}

describe('ids', () => {
  it('reads upper-case hex ids (the spec example) and stores them lower-case', () => {
    const { items } = decodeExport('traces', 'json', traces([span({ parentSpanId: 'AAAAAAAAAAAAAAAA' })]));
    expect(items[0]).toMatchObject({
      traceId: TRACE.toLowerCase(),
      spanId: SPAN.toLowerCase(),
      parentSpanId: 'aaaaaaaaaaaaaaaa',
    });
  });

  it.each([
    ['an empty string', ''],
    ['all zeros', '0000000000000000'],
    ['null', null],
  ])('reads a parentSpanId of %s as a root span', (_, parentSpanId) => {
    const batch = decodeExport('traces', 'json', traces([span({ parentSpanId })]));
    expect(batch).toMatchObject({ rejected: 0, items: [{ parentSpanId: '' }] });
  });

  it('refuses base64 ids as undecodable (400), naming the member', () => {
    const base64TraceId = Buffer.from(TRACE, 'hex').toString('base64');
    const error = decodeError('traces', traces([span({ traceId: base64TraceId })]));
    expect(error).toMatchObject({ code: 'UNDECODABLE_BODY', httpStatus: 400 });
    expect(error.message).toContain('resourceSpans[0].scopeSpans[0].spans[0].traceId');
    expect(error.message).toContain('hex');
    expect(
      decodeError('logs', jsonBytes({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ spanId: '7uGbfsPBsXQ=' }] }] }] }))
        .code,
    ).toBe('UNDECODABLE_BODY');
  });

  it('rejects only the span whose hex id has the wrong length (partial success)', () => {
    const batch = decodeExport(
      'traces',
      'json',
      traces([span({ traceId: 'abcd' }), span({ spanId: '0102030405060708', name: 'kept' }), span({ spanId: '00' })]),
    );
    expect(batch.items.map((item) => item.name)).toEqual(['kept']);
    expect(batch.rejected).toBe(2);
    expect(batch.partialSuccess?.rejected).toBe(2);
    expect(batch.partialSuccess?.errorMessage).toContain('spans[0]: trace_id must be 16 bytes, got 2');
    expect(batch.partialSuccess?.errorMessage).toContain('spans[2]: span_id must be 8 bytes, got 1');
  });
});

describe('64-bit integers', () => {
  it('accepts decimal strings and numbers for fixed64, int64 and uint64 fields', () => {
    const body = traces([
      span({
        startTimeUnixNano: 1544712660000000000,
        endTimeUnixNano: '1544712661000000001',
        attributes: [
          { key: 'asNumber', value: { intValue: 42 } },
          { key: 'asString', value: { intValue: '-9223372036854775808' } },
        ],
      }),
    ]);
    const [item] = decodeExport('traces', 'json', body).items;
    expect(item?.startTimeUnixNano).toBe(1544712660000000000n);
    expect(item?.endTimeUnixNano).toBe(1544712661000000001n);
    expect(item?.attributes.map((attribute) => attribute.value)).toEqual([
      { case: 'intValue', value: 42n },
      { case: 'intValue', value: -(2n ** 63n) },
    ]);
  });

  it.each([
    ['a fraction', 1.5],
    ['a negative fixed64', '-1'],
    ['a value past uint64', '18446744073709551616'],
    ['a non-numeric string', '12abc'],
    ['a boolean', true],
  ])('refuses %s as a time', (_, startTimeUnixNano) => {
    const error = decodeError('traces', traces([span({ startTimeUnixNano })]));
    expect(error.message).toContain('spans[0].startTimeUnixNano: expected an unsigned 64-bit integer');
  });

  it('reads histogram counts written as numbers or strings', () => {
    const body = jsonBytes({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'h',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [{ timeUnixNano: '1', count: 3, bucketCounts: ['1', 2], explicitBounds: ['5.5'] }],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decodeExport('metrics', 'json', body).items[0]).toMatchObject({
      count: 3n,
      bucketCounts: [1n, 2n],
      explicitBounds: [5.5],
    });
  });
});

describe('enums', () => {
  it('reads integers, and tolerates the proto names the spec tells senders not to use', () => {
    const batch = decodeExport(
      'traces',
      'json',
      traces([
        span({ kind: 3, status: { code: 2, message: 'x' } }),
        span({ kind: 'SPAN_KIND_PRODUCER', status: { code: 'STATUS_CODE_OK' } }),
      ]),
    );
    expect(batch.items.map((item) => [item.kind, item.kindName, item.status.code])).toEqual([
      [3, 'SPAN_KIND_CLIENT', 2],
      [4, 'SPAN_KIND_PRODUCER', 1],
    ]);
  });

  it('keeps unknown enum numbers (proto3 enums are open) but refuses unknown names', () => {
    expect(decodeExport('traces', 'json', traces([span({ kind: 9 })])).items[0]).toMatchObject({
      kind: 9,
      kindName: undefined,
    });
    expect(decodeError('traces', traces([span({ kind: 'SPAN_KIND_SIDEWAYS' })])).message).toContain('spans[0].kind');
  });

  it('reads severity and temporality names', () => {
    const logs = decodeExport(
      'logs',
      'json',
      jsonBytes({
        resourceLogs: [
          { scopeLogs: [{ logRecords: [{ severityNumber: 'SEVERITY_NUMBER_WARN' }, { severityNumber: 17 }] }] },
        ],
      }),
    );
    expect(logs.items.map((item) => item.severityName)).toEqual(['SEVERITY_NUMBER_WARN', 'SEVERITY_NUMBER_ERROR']);
  });
});

describe('members', () => {
  it('ignores unknown members at every level', () => {
    const body = jsonBytes({
      futureTopLevel: { anything: [1, 2] },
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'svc', futureKind: 1 } }],
            entityRefs: [{}],
          },
          unknown: 'x',
          scopeSpans: [{ scope: { name: 's', futureScope: true }, spans: [span({ futureSpanField: { deep: [] } })] }],
        },
      ],
    });
    const batch = decodeExport('traces', 'json', body);
    expect(batch).toMatchObject({ received: 1, rejected: 0 });
    expect(plainAttributes(batch.items[0]?.resource.attributes ?? [])).toEqual({ 'service.name': 'svc' });
  });

  it('accepts the proto (snake_case) names too, rather than dropping the data silently', () => {
    const body = jsonBytes({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE,
                  span_id: SPAN,
                  parent_span_id: '',
                  name: 'snake',
                  start_time_unix_nano: '1',
                  end_time_unix_nano: '2',
                  dropped_attributes_count: 3,
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decodeExport('traces', 'json', body).items[0]).toMatchObject({
      name: 'snake',
      droppedAttributesCount: 3,
      parentSpanId: '',
    });
  });

  it('reads null members as their defaults', () => {
    const batch = decodeExport(
      'traces',
      'json',
      traces([span({ attributes: null, status: null, events: null, kind: null })]),
    );
    expect(batch.items[0]).toMatchObject({ attributes: [], events: [], kind: 0, status: { code: 0 } });
  });

  it('reads an empty request and empty envelopes as full success with nothing in them', () => {
    for (const body of [{}, { resourceSpans: [] }, { resourceSpans: [{}, { scopeSpans: [{}] }] }]) {
      expect(decodeExport('traces', 'json', jsonBytes(body))).toEqual({
        items: [],
        received: 0,
        rejected: 0,
        partialSuccess: undefined,
      });
    }
  });

  it('names the member of the wrong JSON type', () => {
    const body = jsonBytes({ resourceSpans: [{ scopeSpans: [{ spans: { not: 'an array' } }] }] });
    expect(decodeError('traces', body).message).toBe(
      'invalid OTLP/JSON ExportTraceServiceRequest: resourceSpans[0].scopeSpans[0].spans: expected an array, got an object with not',
    );
  });

  it('describes a wrong value without walking it (it may be nested too deep to print)', () => {
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const body = Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":${deep}}]}]}]}`, 'utf8');
    expect(decodeError('traces', body).message).toBe(
      'invalid OTLP/JSON ExportTraceServiceRequest: resourceSpans[0].scopeSpans[0].spans[0].name: expected a string, got an array of 1',
    );
  });
});

describe('values', () => {
  it('reads every AnyValue kind, special doubles and base64 bytes', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'text' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: '-Infinity' } },
      { key: 'str', value: { doubleValue: '2.5e3' } },
      { key: 'bytes', value: { bytesValue: 'AAH+/w==' } },
      { key: 'urlsafe', value: { bytesValue: 'AAH-_w' } },
      { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, {}] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
      { key: 'empty', value: {} },
      { key: 'absent' },
    ];
    const [item] = decodeExport('traces', 'json', traces([span({ attributes })])).items;
    expect(item?.attributes.map((attribute) => attribute.value)).toEqual([
      { case: 'stringValue', value: 'text' },
      { case: 'boolValue', value: true },
      { case: 'doubleValue', value: Number.NaN },
      { case: 'doubleValue', value: -Infinity },
      { case: 'doubleValue', value: 2500 },
      { case: 'bytesValue', value: new Uint8Array([0, 1, 254, 255]) },
      { case: 'bytesValue', value: new Uint8Array([0, 1, 254, 255]) },
      { case: 'arrayValue', value: [{ case: 'intValue', value: 1n }, { case: undefined }] },
      { case: 'kvlistValue', value: [{ key: 'k', value: { case: 'stringValue', value: 'v' } }] },
      { case: undefined },
      { case: undefined },
    ]);
  });

  it.each([
    ['two members of the AnyValue oneof', { stringValue: 'a', intValue: '1' }, 'AnyValue sets more than one value'],
    ['bytes that are not base64', { bytesValue: 'not base64!' }, 'expected base64 bytes'],
    ['a string where a bool belongs', { boolValue: 'true' }, 'expected true or false'],
  ])('refuses %s', (_, value, message) => {
    const error = decodeError('traces', traces([span({ attributes: [{ key: 'k', value }] })]));
    expect(error.message).toContain('spans[0].attributes[0].value');
    expect(error.message).toContain(message);
  });

  it('refuses nesting deeper than 100 levels with a decode error, not a stack overflow', () => {
    // Built as text: JSON.stringify itself would overflow the stack on 100 000 levels (JSON.parse does not).
    const depth = 100_000;
    const value = `${'{"arrayValue":{"values":['.repeat(depth)}{}${']}}'.repeat(depth)}`;
    const text = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [span({ attributes: [{ key: 'deep', value: 0 }] })] }] }],
    });
    const error = decodeError('traces', Buffer.from(text.replace('"value":0', `"value":${value}`), 'utf8'));
    expect(error.message).toContain('nested deeper than 100 levels');
  });
});

describe('the body as a whole', () => {
  it.each([
    ['invalid JSON', Buffer.from('{"resourceSpans": [', 'utf8'), 'invalid JSON in ExportTraceServiceRequest body'],
    ['an empty body', new Uint8Array(0), 'invalid JSON'],
    ['an array', jsonBytes([]), 'the body must be a JSON object'],
    ['a string', jsonBytes('spans'), 'the body must be a JSON object'],
  ])('refuses %s with a 400 that says so', (_, body, message) => {
    const error = decodeError('traces', body);
    expect(error).toMatchObject({ code: 'UNDECODABLE_BODY', httpStatus: 400 });
    expect(error.message).toContain(message);
  });

  it('ignores a UTF-8 byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(traces([span()]))]);
    expect(decodeExport('traces', 'json', body).items).toHaveLength(1);
  });
});
