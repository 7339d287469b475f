// Issue 7: the OTLP/HTTP export routes through app.inject against real PostgreSQL — every status code, both
// encodings and both path families, gzip, the size cap, partial success, idempotent retries, and what PostgreSQL
// refuses (bigint, U+0000, lone surrogates, bytes, NaN) stored anyway.
import { Buffer } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpEncoding } from '../../src/otlp/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp, testConfig } from '../support/runtime.ts';
import {
  attribute,
  countRows,
  decodeExportResponse,
  decodeStatus,
  encodeRequest,
  exportTo,
  gaugeRequest,
  hex,
  logsRequest,
  mediaType,
  newSpanId,
  newTraceId,
  post,
  span,
  storedRows,
  traceRequest,
  type StoredRow,
} from './support/ingest.ts';

let database: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database, testConfig({ OTLP_MAX_BODY_BYTES: String(64 * 1024) }));
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const encodings = ['protobuf', 'json'] as const satisfies readonly OtlpEncoding[];
const bases = ['/v1/', '/api/otlp/v1/'] as const;

const spansOfTrace = async (traceId: Uint8Array) =>
  (await storedRows(database.pool, ['otlp', 'span'])).filter((row) => row.trace_id === hex(traceId));

describe.each(encodings)('%s export', (encoding) => {
  it.each(bases)('under %s: 200 with an empty response once every span is stored', async (base) => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    const sent = await exportTo(
      app,
      'traces',
      encoding,
      traceRequest([span({ traceId, spanId, name: 'GET /users' })]),
      base,
    );
    expect(sent.status).toBe(200);
    expect(sent.headers['content-type']).toMatch(new RegExp(`^${mediaType[encoding]}`));
    // "The server MUST leave the partial_success field unset in case of a successful response": {} / zero bytes.
    expect(sent.body.toString('utf8')).toBe(encoding === 'json' ? '{}' : '');
    const [row, ...others] = await spansOfTrace(traceId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      event_name: ['otlp', 'span', 'GET /users'],
      trace_id: hex(traceId),
      span_id: hex(spanId),
      source: 'checkout',
      measurements: { duration_ns: 1_500_000 },
      dedup_key: `span:${hex(traceId)}:${hex(spanId)}`,
      metadata: {
        name: 'GET /users',
        kind: 2,
        kind_name: 'SPAN_KIND_SERVER',
        parent_span_id: null,
        start_time_unix_nano: '1700000000123456789',
        end_time_unix_nano: '1700000000124956789',
        attributes: { 'http.route': '/users' },
        resource: { attributes: { 'service.name': 'checkout' } },
        scope: { name: 'test.scope', version: '1.0.0' },
      },
    });
    expect(row?.processed_at).toBeInstanceOf(Date);
  });

  it('partial success: the valid spans are stored, the response counts and explains the rejected ones', async () => {
    const traceId = newTraceId();
    const request = traceRequest([
      span({ traceId, name: 'kept' }),
      span({ traceId, name: '' }),
      span({ traceId: new Uint8Array([1, 2, 3]), name: 'short trace id' }),
      span({ traceId, name: 'kept too' }),
    ]);
    const sent = await exportTo(app, 'traces', encoding, request);
    expect(sent.status).toBe(200);
    const response = decodeExportResponse('traces', encoding, sent.body);
    expect(response).toEqual({
      partialSuccess: {
        rejectedSpans: '2',
        errorMessage: expect.stringMatching(
          /^Rejected 2 of 4 spans: .*spans\[1\]: name is empty.*spans\[2\]: trace_id must be 16 bytes, got 3/,
        ),
      },
    });
    expect((await spansOfTrace(traceId)).map((row) => row.event_name[2]).sort()).toEqual(['kept', 'kept too']);
  });

  it('400 with a google.rpc.Status in the request encoding for an undecodable body; nothing stored', async () => {
    const before = await countRows(database.pool, ['otlp_api']);
    const garbage =
      encoding === 'json' ? Buffer.from('{"resourceSpans": [ {') : Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    const sent = await post(app, '/v1/traces', mediaType[encoding], garbage);
    expect(sent.status).toBe(400);
    expect(sent.headers['content-type']).toMatch(new RegExp(`^${mediaType[encoding]}`));
    expect(decodeStatus(encoding, sent.body)).toEqual({ code: 3, message: expect.stringMatching(/invalid/i) });
    expect(await countRows(database.pool, ['otlp_api'])).toBe(before);
  });

  it('metrics and logs: one row per data point and per log record', async () => {
    const metrics = await exportTo(app, 'metrics', encoding, gaugeRequest([21.5, 22.25], `svc-${encoding}`));
    expect(metrics.status).toBe(200);
    const logs = await exportTo(
      app,
      'logs',
      encoding,
      logsRequest(['disk almost full', 'disk full'], `svc-${encoding}`),
    );
    expect(logs.status).toBe(200);
    const byTime = (a: StoredRow, b: StoredRow) =>
      String(a.metadata['time_unix_nano']).localeCompare(String(b.metadata['time_unix_nano']));
    const points = (await storedRows(database.pool, ['otlp', 'metric']))
      .filter((row) => row.source === `svc-${encoding}`)
      .sort(byTime);
    expect(points.map((row) => [row.event_name, row.measurements, row.metadata['value_type']])).toEqual([
      [['otlp', 'metric', 'room.temperature'], { value: 21.5 }, 'double'],
      [['otlp', 'metric', 'room.temperature'], { value: 22.25 }, 'double'],
    ]);
    expect(points[0]?.dedup_key).toMatch(/^metric:[A-Za-z0-9_-]{43}$/);
    const records = (await storedRows(database.pool, ['otlp', 'log']))
      .filter((row) => row.source === `svc-${encoding}`)
      .sort(byTime);
    expect(records.map((row) => [row.event_name, row.metadata['body']])).toEqual([
      [['otlp', 'log', 'WARN'], 'disk almost full'],
      [['otlp', 'log', 'WARN'], 'disk full'],
    ]);
    expect(records[0]?.dedup_key).toMatch(/^log:[A-Za-z0-9_-]{43}$/);
  });
});

describe('idempotent retries', () => {
  it.each(['traces', 'metrics', 'logs'] as const)('%s: the same body twice stores its items once', async (signal) => {
    const service = `retry-${signal}`;
    const request =
      signal === 'traces'
        ? traceRequest([span(), span()], service)
        : signal === 'metrics'
          ? gaugeRequest([1, 2], service)
          : logsRequest(['a', 'b'], service);
    const prefix = { traces: 'span', metrics: 'metric', logs: 'log' }[signal];
    const ofService = async () =>
      (await storedRows(database.pool, ['otlp', prefix])).filter((row) => row.source === service).length;
    expect((await exportTo(app, signal, 'protobuf', request)).status).toBe(200);
    expect(await ofService()).toBe(2);
    // A client that timed out re-sends the same request (the JSON form of the same data too): nothing new.
    expect((await exportTo(app, signal, 'protobuf', request)).status).toBe(200);
    expect((await exportTo(app, signal, 'json', request)).status).toBe(200);
    expect(await ofService()).toBe(2);
  });

  it('the same span twice in one request is stored once (duplicates within one INSERT are skipped too)', async () => {
    const traceId = newTraceId();
    const twice = span({ traceId });
    expect((await exportTo(app, 'traces', 'protobuf', traceRequest([twice, twice]))).status).toBe(200);
    expect(await spansOfTrace(traceId)).toHaveLength(1);
  });

  it('a span re-sent with the same trace and span id is not duplicated even if its content changed', async () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    await exportTo(app, 'traces', 'json', traceRequest([span({ traceId, spanId, name: 'first' })]));
    await exportTo(app, 'traces', 'json', traceRequest([span({ traceId, spanId, name: 'second' })]));
    expect((await spansOfTrace(traceId)).map((row) => row.event_name[2])).toEqual(['first']);
  });
});

describe('the request event', () => {
  it('records ["otlp_api", signal, "received"] per request with the client address and the counts', async () => {
    const sent = await post(
      app,
      '/api/otlp/v1/logs',
      'application/json',
      encodeRequest('logs', 'json', logsRequest(['one'], 'event-check')),
      {
        'x-forwarded-for': '203.0.113.7, 10.0.0.1',
        'x-request-id': 'req-otlp-event',
      },
    );
    expect(sent.status).toBe(200);
    const events = (await storedRows(database.pool, ['otlp_api', 'logs', 'received'])).filter(
      (row) => row.metadata['request_id'] === 'req-otlp-event',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'otlp_api',
      trace_id: null,
      dedup_key: null,
      measurements: { items_received: 1, items_accepted: 1, items_rejected: 0, data_size: expect.any(Number) },
      metadata: {
        source: 'http_api',
        client_ip: '127.0.0.1',
        forwarded_for: '203.0.113.7',
        path: '/api/otlp/v1/logs',
        encoding: 'json',
      },
    });
  });
});

describe('content negotiation', () => {
  it('accepts a charset parameter and any case of the media type', async () => {
    const body = encodeRequest('traces', 'json', traceRequest([span()]));
    expect((await post(app, '/v1/traces', 'Application/JSON; charset=utf-8', body)).status).toBe(200);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/grpc']])(
    '415 for %s, answered as JSON',
    async (type) => {
      const sent = await post(app, '/v1/traces', type, 'whatever');
      expect(sent.status).toBe(415);
      expect(sent.headers['content-type']).toMatch(/^application\/json/);
      expect(decodeStatus('json', sent.body)).toEqual({
        code: 3,
        message: expect.stringContaining('unsupported content type'),
      });
    },
  );

  it('415 for an unsupported Content-Encoding, in the request encoding', async () => {
    const sent = await post(
      app,
      '/v1/traces',
      mediaType.protobuf,
      encodeRequest('traces', 'protobuf', traceRequest([span()])),
      { 'content-encoding': 'br' },
    );
    expect(sent.status).toBe(415);
    expect(decodeStatus('protobuf', sent.body)).toEqual({
      code: 3,
      message: expect.stringContaining('unsupported content encoding'),
    });
  });
});

describe('gzip and the size cap (OTLP_MAX_BODY_BYTES = 64 KiB here)', () => {
  it.each(encodings)('%s: a gzip body is decompressed and stored', async (encoding) => {
    const traceId = newTraceId();
    const body = gzipSync(encodeRequest('traces', encoding, traceRequest([span({ traceId })])));
    const sent = await post(app, '/v1/traces', mediaType[encoding], body, { 'content-encoding': 'gzip' });
    expect(sent.status).toBe(200);
    expect(await spansOfTrace(traceId)).toHaveLength(1);
  });

  it('400 for a corrupt gzip body', async () => {
    const sent = await post(app, '/v1/traces', mediaType.json, Buffer.from('not gzip at all'), {
      'content-encoding': 'gzip',
    });
    expect(sent.status).toBe(400);
    expect(decodeStatus('json', sent.body)).toMatchObject({ message: expect.stringContaining('invalid gzip body') });
  });

  it('413 for a body over the limit, in the request encoding', async () => {
    const big = traceRequest(
      Array.from({ length: 1000 }, () => span({ attributes: [attribute('pad', { stringValue: 'x'.repeat(100) })] })),
    );
    const body = encodeRequest('traces', 'protobuf', big);
    expect(body.length).toBeGreaterThan(64 * 1024);
    const sent = await post(app, '/v1/traces', mediaType.protobuf, body);
    expect(sent.status).toBe(413);
    expect(decodeStatus('protobuf', sent.body)).toEqual({
      code: 8,
      message: expect.stringContaining('exceeds the limit of 65536 bytes'),
    });
  });

  it('413 for a gzip bomb: small on the wire, over the limit once inflated', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const sent = await post(app, '/v1/traces', mediaType.json, bomb, { 'content-encoding': 'gzip' });
    expect(sent.status).toBe(413);
    expect(decodeStatus('json', sent.body)).toMatchObject({
      message: expect.stringContaining('after gzip decompression'),
    });
  });
});

describe('methods and unknown paths answer in OTLP, never as JSON:API documents', () => {
  it.each([
    ['GET', '/v1/traces'],
    ['PUT', '/api/otlp/v1/metrics'],
    ['DELETE', '/v1/logs'],
    ['PATCH', '/api/otlp/v1/traces'],
  ] as const)('405 for %s %s, with Allow: POST', async (method, url) => {
    const response = await app.inject({ method, url });
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('POST');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      code: 12,
      message: `${method} is not allowed on ${url}: OTLP/HTTP exports are POST`,
    });
  });

  it.each(['/v1/profiles', '/api/otlp/v1/nothing'])(
    '404 as a google.rpc.Status for %s (protobuf for a protobuf request)',
    async (url) => {
      const sent = await post(app, url, mediaType.protobuf, Buffer.alloc(0));
      expect(sent.status).toBe(404);
      expect(decodeStatus('protobuf', sent.body)).toEqual({ code: 5, message: `no OTLP route POST ${url}` });
    },
  );

  it('the JSON:API keeps its own 404 document elsewhere', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
  });
});

describe('values PostgreSQL refuses are stored converted', () => {
  it('U+0000, lone surrogates, int64 past 2^53, bytes, NaN and Infinity', async () => {
    const traceId = newTraceId();
    const request = traceRequest([
      span({
        traceId,
        name: 'nul\u0000name',
        attributes: [
          attribute('nul', { stringValue: 'a\u0000b' }),
          attribute('key\u0000with nul', { boolValue: true }),
          attribute('big', { intValue: '9007199254740993' }),
          attribute('small', { intValue: '-42' }),
          attribute('bytes', { bytesValue: new Uint8Array([0, 1, 254, 255]) }),
          attribute('nan', { doubleValue: Number.NaN }),
          attribute('inf', { doubleValue: Number.NEGATIVE_INFINITY }),
          attribute('nested', {
            kvlistValue: {
              values: [attribute('list', { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'x\u0000' }] } })],
            },
          }),
        ],
      }),
    ]);
    // Protobuf carries these as they are; the JSON form of the same request has lone surrogates below.
    expect((await exportTo(app, 'traces', 'protobuf', request)).status).toBe(200);
    const [row] = await spansOfTrace(traceId);
    expect(row?.event_name).toEqual(['otlp', 'span', 'nul\ufffdname']);
    expect(row?.metadata['attributes']).toEqual({
      nul: 'a\ufffdb',
      'key\ufffdwith nul': true,
      big: '9007199254740993',
      small: -42,
      bytes: 'AAH+/w==',
      nan: 'NaN',
      inf: '-Infinity',
      nested: { list: [1, 'x\ufffd'] },
    });

    const lone = newTraceId();
    const json = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${hex(lone)}","spanId":"${hex(newSpanId())}","name":"s\\ud800","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"k","value":{"stringValue":"\\udc00x\\ud83d\\ude00"}}]}]}]}]}`;
    expect((await post(app, '/v1/traces', mediaType.json, json)).status).toBe(200);
    const [loneRow] = await spansOfTrace(lone);
    expect(loneRow).toMatchObject({
      event_name: ['otlp', 'span', 's\ufffd'],
      source: 'unknown_service',
      metadata: { attributes: { k: '\ufffdx\u{1f600}' } },
    });
  });
});
