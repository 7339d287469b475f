// The protobuf readers against hand-built wire bytes: what proto3 parsers must accept (unknown fields of every wire
// type, packed and unpacked repeated scalars, repeated embedded messages merged) and what must be a decode error
// with a message (truncation, wrong wire types, bad lengths, field number 0, groups, runaway nesting), never another
// exception and never a hang.
import { Writer } from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { decodeExport, OtlpError, type OtlpSignal } from '../../src/otlp/index.ts';
import { loadReferenceCodec } from './support/reference-codec.ts';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const I32 = 5;
const tag = (field: number, wireType: number) => (field << 3) | wireType;

/** Writes `build` into a length-delimited field. */
const nested = (writer: Writer, field: number, build: (inner: Writer) => void): Writer => {
  writer.uint32(tag(field, LEN)).fork();
  build(writer);
  return writer.ldelim();
};

const traceId = new Uint8Array(16).fill(0xab);
const spanId = new Uint8Array(8).fill(0xcd);

/** A valid Span's fields (trace.proto), plus whatever `extra` writes. */
function spanFields(writer: Writer, extra: (w: Writer) => void = () => undefined): void {
  writer.uint32(tag(1, LEN)).bytes(traceId);
  writer.uint32(tag(2, LEN)).bytes(spanId);
  writer.uint32(tag(5, LEN)).string('op');
  writer.uint32(tag(7, I64)).fixed64(1_000);
  writer.uint32(tag(8, I64)).fixed64(2_000);
  extra(writer);
}

/** ExportTraceServiceRequest { resource_spans { scope_spans { spans { … } } } }. */
function traceRequest(spanBuilders: readonly ((w: Writer) => void)[]): Uint8Array {
  const writer = Writer.create();
  nested(writer, 1, (resourceSpans) =>
    nested(resourceSpans, 2, (scopeSpans) => {
      for (const build of spanBuilders) nested(scopeSpans, 2, build);
    }),
  );
  return writer.finish();
}

function decodeError(signal: OtlpSignal, body: Uint8Array): OtlpError {
  try {
    decodeExport(signal, 'protobuf', body);
  } catch (error) {
    if (error instanceof OtlpError) return error;
    throw error;
  }
  throw new Error('expected the body to be undecodable');
}

describe('what proto3 parsers must accept', () => {
  it('skips unknown fields of every wire type, at every level', () => {
    const unknowns = (w: Writer) => {
      w.uint32(tag(900, VARINT)).uint64('18446744073709551615');
      w.uint32(tag(901, I64)).fixed64(7);
      w.uint32(tag(902, LEN)).bytes(new Uint8Array([1, 2, 3]));
      w.uint32(tag(903, I32)).fixed32(9);
      w.uint32(tag(904, SGROUP)).uint32(tag(1, VARINT)).uint32(5).uint32(tag(904, EGROUP));
    };
    const writer = Writer.create();
    unknowns(writer);
    nested(writer, 1, (resourceSpans) => {
      unknowns(resourceSpans);
      nested(resourceSpans, 1, (resource) => unknowns(resource));
      nested(resourceSpans, 2, (scopeSpans) => {
        unknowns(scopeSpans);
        nested(scopeSpans, 2, (span) =>
          spanFields(span, (w) => {
            unknowns(w);
            nested(w, 9, (keyValue) => {
              keyValue.uint32(tag(1, LEN)).string('k');
              unknowns(keyValue);
              nested(keyValue, 2, (anyValue) => {
                unknowns(anyValue);
                anyValue.uint32(tag(1, LEN)).string('v');
              });
            });
          }),
        );
      });
    });
    const batch = decodeExport('traces', 'protobuf', writer.finish());
    expect(batch).toMatchObject({ received: 1, rejected: 0 });
    expect(batch.items[0]?.attributes).toEqual([{ key: 'k', value: { case: 'stringValue', value: 'v' } }]);
  });

  it('reads repeated scalars both packed and unpacked, and concatenates repeated occurrences', () => {
    const writer = Writer.create();
    nested(writer, 1, (resourceMetrics) =>
      nested(resourceMetrics, 2, (scopeMetrics) =>
        nested(scopeMetrics, 2, (metric) => {
          metric.uint32(tag(1, LEN)).string('h');
          nested(metric, 9, (histogram) => {
            histogram.uint32(tag(2, VARINT)).int32(2);
            nested(histogram, 1, (point) => {
              point.uint32(tag(3, I64)).fixed64(5);
              point.uint32(tag(4, I64)).fixed64(6);
              point.uint32(tag(6, I64)).fixed64(1); // bucket_counts, unpacked
              point.uint32(tag(6, LEN)).fork().fixed64(2).fixed64(3).ldelim(); // then packed
              point.uint32(tag(7, I64)).double(1.5); // explicit_bounds, unpacked
              point.uint32(tag(7, LEN)).fork().double(2.5).ldelim();
            });
          });
          nested(metric, 10, (exponential) => exponential.uint32(tag(2, VARINT)).int32(1));
        }),
      ),
    );
    // Metric.data is a oneof: the last member on the wire (exponential_histogram, field 10) wins.
    const { items } = decodeExport('metrics', 'protobuf', writer.finish());
    expect(items).toEqual([]);

    const histogramOnly = Writer.create();
    nested(histogramOnly, 1, (resourceMetrics) =>
      nested(resourceMetrics, 2, (scopeMetrics) =>
        nested(scopeMetrics, 2, (metric) => {
          metric.uint32(tag(1, LEN)).string('h');
          nested(metric, 9, (histogram) => {
            histogram.uint32(tag(2, VARINT)).int32(2);
            nested(histogram, 1, (point) => {
              point.uint32(tag(3, I64)).fixed64(5);
              point.uint32(tag(4, I64)).fixed64(6);
              point.uint32(tag(6, I64)).fixed64(1);
              point.uint32(tag(6, LEN)).fork().fixed64(2).fixed64(3).ldelim();
              point.uint32(tag(7, I64)).double(1.5);
              point.uint32(tag(7, LEN)).fork().double(2.5).ldelim();
            });
          });
        }),
      ),
    );
    expect(decodeExport('metrics', 'protobuf', histogramOnly.finish()).items[0]).toMatchObject({
      count: 6n,
      bucketCounts: [1n, 2n, 3n],
      explicitBounds: [1.5, 2.5],
    });
  });

  it('reads exponential bucket counts (repeated uint64) packed and unpacked', () => {
    const writer = Writer.create();
    nested(writer, 1, (resourceMetrics) =>
      nested(resourceMetrics, 2, (scopeMetrics) =>
        nested(scopeMetrics, 2, (metric) => {
          metric.uint32(tag(1, LEN)).string('e');
          nested(metric, 10, (histogram) => {
            histogram.uint32(tag(2, VARINT)).int32(1);
            nested(histogram, 1, (point) => {
              point.uint32(tag(3, I64)).fixed64(5);
              point.uint32(tag(4, I64)).fixed64(2 ** 40 + 3);
              nested(point, 8, (buckets) => {
                buckets.uint32(tag(1, VARINT)).sint32(-7);
                buckets.uint32(tag(2, VARINT)).uint64(2 ** 40);
                buckets.uint32(tag(2, LEN)).fork().uint64(1).uint64(2).ldelim();
              });
            });
          });
        }),
      ),
    );
    expect(decodeExport('metrics', 'protobuf', writer.finish()).items[0]).toMatchObject({
      type: 'exponential_histogram',
      count: 2n ** 40n + 3n,
      positive: { offset: -7, bucketCounts: [2n ** 40n, 1n, 2n] },
    });
  });

  it('merges a singular embedded message that appears twice, and lets the last scalar win', () => {
    const body = traceRequest([
      (w) =>
        spanFields(w, (span) => {
          nested(span, 15, (status) => status.uint32(tag(2, LEN)).string('first'));
          nested(span, 15, (status) => status.uint32(tag(3, VARINT)).int32(2));
          span.uint32(tag(5, LEN)).string('renamed');
        }),
    ]);
    expect(decodeExport('traces', 'protobuf', body).items[0]).toMatchObject({
      name: 'renamed',
      status: { code: 2, message: 'first' },
    });
  });

  it('reads an empty body as an empty request (zero bytes is a valid message)', () => {
    expect(decodeExport('logs', 'protobuf', new Uint8Array(0))).toEqual({
      items: [],
      received: 0,
      rejected: 0,
      partialSuccess: undefined,
    });
  });

  it('reads the profiles-only string_value_strindex as an empty value, as common.proto asks', () => {
    const body = traceRequest([
      (w) =>
        spanFields(w, (span) =>
          nested(span, 9, (kv) => {
            kv.uint32(tag(1, LEN)).string('k');
            nested(kv, 2, (value) => value.uint32(tag(8, VARINT)).int32(4));
          }),
        ),
    ]);
    expect(decodeExport('traces', 'protobuf', body).items[0]?.attributes).toEqual([
      { key: 'k', value: { case: undefined } },
    ]);
  });
});

describe('malformed bodies are decode errors with a message', () => {
  const valid = traceRequest([(w) => spanFields(w)]);

  it.each([
    ['truncated in the middle of a field', valid.subarray(0, valid.length - 3), /index out of range|past the end/],
    ['truncated in a length prefix', Uint8Array.from([0x0a, 0xff]), /index out of range/],
    ['a length past the end of the body', Uint8Array.from([0x0a, 0x7f, 0x00]), /declares 127 bytes, past the end/],
    ['field number 0', Uint8Array.from([0x00, 0x00]), /field number 0/],
    // Field 15 is unknown to ExportTraceServiceRequest, so these reach the skipping code.
    ['a reserved wire type (7)', Uint8Array.from([tag(15, 7), 0x00]), /invalid wire type 7/],
    ['an end-group without a start', Uint8Array.from([tag(15, EGROUP)]), /invalid wire type 4/],
    ['an unterminated group', Uint8Array.from([tag(15, SGROUP), tag(1, VARINT), 0x01]), /index out of range/],
    [
      'a known field with a wire type it cannot have',
      Uint8Array.from([tag(1, I32), 0, 0, 0, 0]),
      /resource_spans \(field 1\) has wire type I32, expected LEN/,
    ],
  ])('%s', (_, body, message) => {
    const error = decodeError('traces', body);
    expect(error).toMatchObject({ code: 'UNDECODABLE_BODY', httpStatus: 400 });
    expect(error.message).toMatch(/^invalid protobuf ExportTraceServiceRequest \(near byte \d+ of \d+\): /);
    expect(error.message).toMatch(message);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([
    [
      'trace_id sent as a varint',
      (w: Writer) => w.uint32(tag(1, VARINT)).uint32(5),
      'Span.trace_id (field 1) has wire type VARINT, expected LEN',
    ],
    [
      'a time sent as a varint',
      (w: Writer) => w.uint32(tag(7, VARINT)).uint32(5),
      'Span.start_time_unix_nano (field 7) has wire type VARINT, expected I64',
    ],
    [
      'flags sent as a varint',
      (w: Writer) => w.uint32(tag(16, VARINT)).uint32(1),
      'Span.flags (field 16) has wire type VARINT, expected I32',
    ],
    [
      'kind sent as bytes',
      (w: Writer) => w.uint32(tag(6, LEN)).bytes(new Uint8Array([2])),
      'Span.kind (field 6) has wire type LEN, expected VARINT',
    ],
  ])('a known field with the wrong wire type: %s', (_, write, message) => {
    const error = decodeError('traces', traceRequest([(w) => spanFields(w, write)]));
    expect(error.message).toContain(message);
  });

  it('a varint of more than 10 bytes in a known field', () => {
    const tooLong = Uint8Array.from([...new Array<number>(11).fill(0xff), 0x01]);
    const error = decodeError(
      'traces',
      traceRequest([(w) => spanFields(w, (span) => span.uint32(tag(6, VARINT)).raw(tooLong))]),
    );
    expect(error.message).toContain('invalid varint encoding');
  });

  it('an embedded message whose fields run past its declared length', () => {
    // ScopeSpans declares 3 bytes, but its span field inside claims 5.
    const body = Uint8Array.from([0x0a, 0x05, 0x12, 0x03, 0x12, 0x05, 0x00]);
    expect(decodeError('traces', body).message).toMatch(/past the end|overruns/);
  });

  it('AnyValue nested deeper than 100 levels', () => {
    let inner = Writer.create().uint32(tag(1, LEN)).string('leaf').finish();
    for (let i = 0; i < 150; i++) {
      const array = Writer.create().uint32(tag(1, LEN)).bytes(inner).finish(); // ArrayValue.values
      inner = Writer.create().uint32(tag(5, LEN)).bytes(array).finish(); // AnyValue.array_value
    }
    const body = traceRequest([
      (w) => spanFields(w, (span) => nested(span, 9, (kv) => kv.uint32(tag(2, LEN)).bytes(inner))),
    ]);
    expect(decodeError('traces', body).message).toContain('AnyValue nested deeper than 100 levels');
  });

  it('a packed fixed64 list whose length is not a multiple of 8', () => {
    const writer = Writer.create();
    nested(writer, 1, (rm) =>
      nested(rm, 2, (sm) =>
        nested(sm, 2, (metric) =>
          nested(metric, 9, (histogram) =>
            nested(histogram, 1, (point) => point.uint32(tag(6, LEN)).bytes(new Uint8Array(12))),
          ),
        ),
      ),
    );
    expect(decodeError('metrics', writer.finish()).message).toContain(
      'HistogramDataPoint.bucket_counts (field 6) packed length is not a multiple of 8',
    );
  });

  it('names the message type of each signal', () => {
    const garbage = Uint8Array.from([0x0a, 0x09]);
    expect(decodeError('traces', garbage).message).toContain('ExportTraceServiceRequest');
    expect(decodeError('metrics', garbage).message).toContain('ExportMetricsServiceRequest');
    expect(decodeError('logs', garbage).message).toContain('ExportLogsServiceRequest');
  });
});

it('decodes what the reference codec encodes from the official protos, for a request with every span field set', () => {
  const codec = loadReferenceCodec();
  const body = codec.encode('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'r', value: { boolValue: true } }], droppedAttributesCount: 1 },
        schemaUrl: 'rs',
        scopeSpans: [
          {
            scope: {
              name: 'n',
              version: 'v',
              attributes: [{ key: 's', value: { doubleValue: 0.5 } }],
              droppedAttributesCount: 2,
            },
            schemaUrl: 'ss',
            spans: [
              {
                traceId,
                spanId,
                traceState: 'a=b',
                parentSpanId: new Uint8Array(8).fill(1),
                flags: 0x301,
                name: 'full',
                kind: 5,
                startTimeUnixNano: '18446744073709551615',
                endTimeUnixNano: '18446744073709551615',
                attributes: [{ key: 'bytes', value: { bytesValue: new Uint8Array([9, 8]) } }],
                droppedAttributesCount: 3,
                events: [{ timeUnixNano: '5', name: 'e', attributes: [], droppedAttributesCount: 4 }],
                droppedEventsCount: 5,
                links: [
                  { traceId, spanId, traceState: 'c=d', attributes: [], droppedAttributesCount: 6, flags: 0x100 },
                ],
                droppedLinksCount: 7,
                status: { message: 'm', code: 2 },
              },
            ],
          },
        ],
      },
    ],
  });
  const [item] = decodeExport('traces', 'protobuf', body).items;
  expect(item).toMatchObject({
    resource: { droppedAttributesCount: 1, schemaUrl: 'rs' },
    scope: { name: 'n', version: 'v', droppedAttributesCount: 2, schemaUrl: 'ss' },
    traceId: 'ab'.repeat(16),
    spanId: 'cd'.repeat(8),
    traceState: 'a=b',
    parentSpanId: '01'.repeat(8),
    flags: 0x301,
    name: 'full',
    kind: 5,
    kindName: 'SPAN_KIND_CONSUMER',
    startTimeUnixNano: 2n ** 64n - 1n,
    droppedAttributesCount: 3,
    events: [{ timeUnixNano: 5n, name: 'e', droppedAttributesCount: 4 }],
    droppedEventsCount: 5,
    links: [
      { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'c=d', droppedAttributesCount: 6, flags: 0x100 },
    ],
    droppedLinksCount: 7,
    status: { code: 2, codeName: 'STATUS_CODE_ERROR', message: 'm' },
  });
  expect(item?.attributes).toEqual([{ key: 'bytes', value: { case: 'bytesValue', value: new Uint8Array([9, 8]) } }]);
});
