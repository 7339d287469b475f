// Response bodies (specification.md, "OTLP/HTTP Response"): Export<signal>ServiceResponse for 200s, google.rpc.Status
// for failures, in the request's encoding. Protobuf bodies are read back with the official OpenTelemetry JS response
// decoders and with reflection over the official protos; JSON bodies are checked as the exact text clients parse.
import {
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  encodeExportResponse,
  encodeRpcStatus,
  OtlpError,
  otlpErrorCatalog,
  statusOf,
  type OtlpErrorCode,
} from '../../src/otlp/index.ts';
import { loadReferenceCodec } from './support/reference-codec.ts';

const codec = loadReferenceCodec();
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const partial = { rejected: 3, errorMessage: 'Rejected 3 of 10 spans: …' };

describe('full success', () => {
  it.each(['traces', 'metrics', 'logs'] as const)(
    '%s: zero bytes in protobuf, {} in JSON (partial_success left unset)',
    (signal) => {
      expect(encodeExportResponse('protobuf', signal, undefined)).toHaveLength(0);
      expect(text(encodeExportResponse('json', signal, undefined))).toBe('{}');
    },
  );
});

describe('partial success, protobuf', () => {
  it('reads back with the OpenTelemetry JS exporters’ own response decoders', () => {
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('protobuf', 'traces', partial))).toEqual({
      partialSuccess: { rejectedSpans: 3, errorMessage: partial.errorMessage },
    });
    expect(ProtobufMetricsSerializer.deserializeResponse(encodeExportResponse('protobuf', 'metrics', partial))).toEqual(
      {
        partialSuccess: { rejectedDataPoints: 3, errorMessage: partial.errorMessage },
      },
    );
    expect(ProtobufLogsSerializer.deserializeResponse(encodeExportResponse('protobuf', 'logs', partial))).toEqual({
      partialSuccess: { rejectedLogRecords: 3, errorMessage: partial.errorMessage },
    });
  });

  it('reads back with reflection over the official collector protos', () => {
    expect(
      codec.decode(
        'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
        encodeExportResponse('protobuf', 'traces', partial),
      ),
    ).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: partial.errorMessage },
    });
    expect(
      codec.decode(
        'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
        encodeExportResponse('protobuf', 'metrics', partial),
      ),
    ).toEqual({ partialSuccess: { rejectedDataPoints: '3', errorMessage: partial.errorMessage } });
    expect(
      codec.decode(
        'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
        encodeExportResponse('protobuf', 'logs', partial),
      ),
    ).toEqual({
      partialSuccess: { rejectedLogRecords: '3', errorMessage: partial.errorMessage },
    });
  });

  it('is byte-for-byte what the reference codec writes', () => {
    const reference = codec.encode('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse', {
      partialSuccess: { rejectedSpans: 3, errorMessage: partial.errorMessage },
    });
    expect(encodeExportResponse('protobuf', 'traces', partial)).toEqual(reference);
  });

  it('carries a warning as rejected 0 with a message, and large counts exactly', () => {
    const warning = encodeExportResponse('protobuf', 'logs', {
      rejected: 0,
      errorMessage: 'Accepted all 2 log records, with warnings: …',
    });
    expect(codec.decode('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse', warning)).toEqual({
      partialSuccess: { errorMessage: 'Accepted all 2 log records, with warnings: …' },
    });
    const many = encodeExportResponse('protobuf', 'metrics', { rejected: 2 ** 40, errorMessage: 'x' });
    expect(codec.decode('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse', many)).toMatchObject({
      partialSuccess: { rejectedDataPoints: String(2 ** 40) },
    });
  });
});

describe('partial success, JSON', () => {
  it('uses lowerCamelCase keys and writes the int64 count as a string (proto3 JSON mapping)', () => {
    expect(text(encodeExportResponse('json', 'traces', partial))).toBe(
      `{"partialSuccess":{"rejectedSpans":"3","errorMessage":"${partial.errorMessage}"}}`,
    );
    expect(JSON.parse(text(encodeExportResponse('json', 'metrics', partial)))).toEqual({
      partialSuccess: { rejectedDataPoints: '3', errorMessage: partial.errorMessage },
    });
    expect(JSON.parse(text(encodeExportResponse('json', 'logs', partial)))).toEqual({
      partialSuccess: { rejectedLogRecords: '3', errorMessage: partial.errorMessage },
    });
  });

  it('is accepted by the reference codec’s proto3 JSON reader and by the OpenTelemetry JS exporter', () => {
    const json = JSON.parse(text(encodeExportResponse('json', 'traces', partial))) as Record<string, unknown>;
    const type = codec.type('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
    expect(type.toObject(type.fromObject(json), { longs: String })).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: partial.errorMessage },
    });
    expect(JsonTraceSerializer.deserializeResponse(encodeExportResponse('json', 'traces', partial))).toEqual(json);
  });

  it('leaves the zero count out of a warning', () => {
    expect(text(encodeExportResponse('json', 'traces', { rejected: 0, errorMessage: 'careful' }))).toBe(
      '{"partialSuccess":{"errorMessage":"careful"}}',
    );
  });
});

describe('google.rpc.Status for failures', () => {
  const status = {
    code: 3,
    message: 'invalid protobuf ExportTraceServiceRequest (near byte 4 of 9): index out of range — ü',
  };

  it('protobuf: reads back with reflection over google/rpc/status.proto, UTF-8 intact', () => {
    expect(codec.decode('google.rpc.Status', encodeRpcStatus('protobuf', status))).toEqual(status);
  });

  it('JSON: {"code":…,"message":…}', () => {
    expect(JSON.parse(text(encodeRpcStatus('json', status)))).toEqual(status);
  });

  it.each(Object.keys(otlpErrorCatalog) as OtlpErrorCode[])(
    '%s: the Status of an OtlpError carries its rpc code and message',
    (code) => {
      const error = new OtlpError(code, `what failed: ${code}`);
      expect(error.httpStatus).toBe(otlpErrorCatalog[code].httpStatus);
      expect(codec.decode('google.rpc.Status', encodeRpcStatus('protobuf', statusOf(error)))).toEqual({
        code: otlpErrorCatalog[code].rpcCode,
        message: `what failed: ${code}`,
      });
    },
  );

  it('maps each failure to its HTTP status', () => {
    expect(
      Object.fromEntries(Object.entries(otlpErrorCatalog).map(([code, entry]) => [code, entry.httpStatus])),
    ).toEqual({
      UNDECODABLE_BODY: 400,
      BODY_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      UNSUPPORTED_CONTENT_ENCODING: 415,
      BAD_REQUEST: 400,
      UNAUTHENTICATED: 401,
      PERMISSION_DENIED: 403,
      AUTHENTICATION_THROTTLED: 429,
      NOT_FOUND: 404,
      METHOD_NOT_ALLOWED: 405,
      PIPELINE_OVERLOADED: 429,
      PIPELINE_TIMEOUT: 503,
      DATABASE_UNAVAILABLE: 503,
      INTERNAL: 500,
    });
  });
});

it('names the response content type of each encoding', () => {
  expect(contentTypeOf).toEqual({ protobuf: 'application/x-protobuf', json: 'application/json' });
});
