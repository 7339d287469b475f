// The Decoder records: the two encodings differ only there (bytes → the same request messages), the way
// OpenTelemetry JS's otlp-transformer differs only in its Encoder records.
import { describe, expect, it } from 'vitest';
import { decodeExport, decoders, jsonDecoder, protobufDecoder, type Decoder } from '../../src/otlp/index.ts';
import { jsonBytes, toOtlpJson } from './support/otlp-json.ts';
import { loadReferenceCodec } from './support/reference-codec.ts';

const request = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [
        {
          scope: { name: 'scope' },
          spans: [
            {
              traceId: new Uint8Array(16).fill(7),
              spanId: new Uint8Array(8).fill(8),
              name: 'op',
              kind: 2,
              startTimeUnixNano: '1',
              endTimeUnixNano: '2',
            },
          ],
        },
      ],
    },
  ],
};
const protobufBody = loadReferenceCodec().encode(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  request,
);
const jsonBody = jsonBytes(toOtlpJson(request));

describe('Decoder records', () => {
  it('one per encoding, keyed by the encoding they decode', () => {
    expect(decoders).toEqual({ protobuf: protobufDecoder, json: jsonDecoder });
    expect([protobufDecoder.encoding, jsonDecoder.encoding]).toEqual(['protobuf', 'json']);
  });

  it('turn both encodings of a request into the same message', () => {
    const fromProtobuf = protobufDecoder.traces(protobufBody);
    expect(jsonDecoder.traces(jsonBody)).toEqual(fromProtobuf);
    expect(fromProtobuf.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toMatchObject({
      traceId: new Uint8Array(16).fill(7),
      name: 'op',
      kind: 2,
      startTimeUnixNano: 1n,
    });
  });

  it('can be passed to decodeExport in place of an encoding name', () => {
    const custom: Decoder = { ...jsonDecoder, traces: (body) => jsonDecoder.traces(body) };
    expect(decodeExport('traces', custom, jsonBody)).toEqual(decodeExport('traces', 'protobuf', protobufBody));
  });
});
