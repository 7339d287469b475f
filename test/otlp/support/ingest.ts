// Building OTLP export requests for the HTTP tests (protobuf through the reference codec, JSON as the spec writes
// it), sending them through app.inject, and reading what was stored.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { OtlpEncoding, OtlpSignal } from '../../../src/otlp/index.ts';
import { testAdminToken, testAuth } from '../../support/runtime.ts';
import { loadReferenceCodec, type ReferenceMessage } from './reference-codec.ts';
import { jsonBytes, toOtlpJson } from './otlp-json.ts';

export const codec = loadReferenceCodec();

const requestMessage = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
} as const satisfies Record<OtlpSignal, ReferenceMessage>;

const responseMessage = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
} as const satisfies Record<OtlpSignal, ReferenceMessage>;

/** Test servers set OTLP_INGEST_TOKENS (testAuth): exports carry a collector's token unless a test says otherwise. */
export const collectorAuth = { authorization: `Bearer ${testAuth.collectorTokens[0] ?? ''}` } as const;
/** Reading telemetry back needs an actor: the admin's token. */
export const adminAuth = { authorization: `Bearer ${testAdminToken}` } as const;

export const mediaType = { protobuf: 'application/x-protobuf', json: 'application/json' } as const satisfies Record<
  OtlpEncoding,
  string
>;

/** A reference-codec request object (bytes as Uint8Array, int64 as decimal strings) in either encoding. */
export function encodeRequest(signal: OtlpSignal, encoding: OtlpEncoding, request: Record<string, unknown>): Buffer {
  return encoding === 'protobuf'
    ? Buffer.from(codec.encode(requestMessage[signal], request))
    : Buffer.from(jsonBytes(toOtlpJson(request)));
}

/** A 200 body as a plain object: protobuf through the reference codec, JSON parsed. */
export function decodeExportResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  body: Buffer,
): Record<string, unknown> {
  return encoding === 'protobuf'
    ? codec.decode(responseMessage[signal], body)
    : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
}

/** A failure body (google.rpc.Status) as a plain object. */
export function decodeStatus(encoding: OtlpEncoding, body: Buffer): Record<string, unknown> {
  return encoding === 'protobuf'
    ? codec.decode('google.rpc.Status', body)
    : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const newTraceId = (): Uint8Array => new Uint8Array(randomBytes(16));
export const newSpanId = (): Uint8Array => new Uint8Array(randomBytes(8));

const str = (value: string) => ({ stringValue: value });
export const attribute = (key: string, value: Record<string, unknown>) => ({ key, value });
export const resource = (service: string) => ({ attributes: [attribute('service.name', str(service))] });

export interface SpanFixture {
  readonly traceId?: Uint8Array;
  readonly spanId?: Uint8Array;
  readonly parentSpanId?: Uint8Array;
  readonly name?: string;
  readonly startNs?: bigint;
  readonly durationNs?: bigint;
  readonly attributes?: readonly { key: string; value: Record<string, unknown> }[];
}

export const baseNs = 1_700_000_000_123_456_789n;

export function span(fixture: SpanFixture = {}): Record<string, unknown> {
  const start = fixture.startNs ?? baseNs;
  return {
    traceId: fixture.traceId ?? newTraceId(),
    spanId: fixture.spanId ?? newSpanId(),
    ...(fixture.parentSpanId === undefined ? {} : { parentSpanId: fixture.parentSpanId }),
    name: fixture.name ?? 'GET /users',
    kind: 2,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + (fixture.durationNs ?? 1_500_000n)).toString(),
    attributes: fixture.attributes ?? [attribute('http.route', str('/users'))],
  };
}

export function traceRequest(spans: readonly Record<string, unknown>[], service = 'checkout'): Record<string, unknown> {
  return {
    resourceSpans: [
      { resource: resource(service), scopeSpans: [{ scope: { name: 'test.scope', version: '1.0.0' }, spans }] },
    ],
  };
}

export function gaugeRequest(values: readonly number[], service = 'checkout'): Record<string, unknown> {
  return {
    resourceMetrics: [
      {
        resource: resource(service),
        scopeMetrics: [
          {
            scope: { name: 'test.meter' },
            metrics: [
              {
                name: 'room.temperature',
                unit: 'Cel',
                gauge: {
                  dataPoints: values.map((value, i) => ({
                    timeUnixNano: (baseNs + BigInt(i)).toString(),
                    asDouble: value,
                    attributes: [attribute('room', str(`r${i}`))],
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

export function logsRequest(bodies: readonly string[], service = 'checkout'): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: resource(service),
        scopeLogs: [
          {
            scope: { name: 'test.logger' },
            logRecords: bodies.map((body, i) => ({
              timeUnixNano: (baseNs + BigInt(i)).toString(),
              severityNumber: 13,
              severityText: 'WARN',
              body: str(body),
            })),
          },
        ],
      },
    ],
  };
}

export interface Sent {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: Buffer;
}

export async function post(
  app: FastifyInstance,
  url: string,
  contentType: string,
  payload: Buffer | string | NodeJS.ReadableStream,
  headers: Readonly<Record<string, string>> = {},
): Promise<Sent> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': contentType, ...collectorAuth, ...headers },
    payload,
  });
  return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
}

/** Sends a reference request object in `encoding` to `/v1/<signal>` (or another base). */
export function exportTo(
  app: FastifyInstance,
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  request: Record<string, unknown>,
  base = '/v1/',
): Promise<Sent> {
  return post(app, `${base}${signal}`, mediaType[encoding], encodeRequest(signal, encoding, request));
}

export interface StoredRow {
  readonly event_name: string[];
  readonly measurements: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly trace_id: string | null;
  readonly span_id: string | null;
  readonly source: string | null;
  readonly dedup_key: string | null;
  readonly processed_at: Date | null;
}

/** Rows whose event_name starts with `prefix` (e.g. ['otlp', 'span']). */
export async function storedRows(pool: pg.Pool, prefix: readonly string[]): Promise<StoredRow[]> {
  const result = await pool.query<StoredRow>(
    `SELECT event_name, measurements, metadata, trace_id, span_id, source, dedup_key, processed_at
       FROM telemetry_events WHERE event_name[1:${prefix.length}] = $1::text[] ORDER BY inserted_at, id`,
    [prefix],
  );
  return result.rows;
}

export async function countRows(pool: pg.Pool, prefix: readonly string[]): Promise<number> {
  return (await storedRows(pool, prefix)).length;
}

/** GET /api/otlp/pipeline/status's `data`. */
export async function pipelineStatus(app: FastifyInstance): Promise<PipelineStatus> {
  const response = await app.inject({ method: 'GET', url: '/api/otlp/pipeline/status' });
  return (response.json() as { data: PipelineStatus }).data;
}

export interface PipelineStatus {
  readonly status: string;
  readonly active_pipelines: number;
  readonly queued_pipelines: number;
  readonly max_concurrent_pipelines: number;
  readonly max_queued_pipelines: number;
  readonly total_pipelines_executed: number;
  readonly successful_pipelines: number;
  readonly client_error_pipelines: number;
  readonly failed_pipelines: number;
  readonly timed_out_pipelines: number;
  readonly rejected_for_capacity: number;
  readonly success_rate: number | null;
  readonly processing_ms: { readonly p50: number | null; readonly p99: number | null; readonly samples: number };
  readonly signals: Record<
    OtlpSignal,
    Record<'requests' | 'received' | 'accepted' | 'rejected' | 'stored' | 'overloaded', number>
  >;
  readonly responses: Record<string, number>;
  readonly uptime_s: number;
}
