// Issue 7: a refusal sent before the body is read (429 when full, 413 on a declared size over the limit) reaches a
// client that is still uploading. The server answers with `Connection: close` and then keeps discarding the rest
// of the body until the client is done (lingering close): closing at once would make the kernel reset the
// connection, and the client would lose the answer and its Retry-After. Real sockets, real uploads.
import net from 'node:net';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { eventually, testApp, testConfig } from '../support/runtime.ts';
import { collectorAuth, encodeRequest, mediaType, pipelineStatus, span, traceRequest } from './support/ingest.ts';

let database: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(
    database,
    testConfig({ OTLP_MAX_CONCURRENT_PIPELINES: '1', OTLP_MAX_BODY_BYTES: String(2 * 1024 * 1024) }),
  );
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

interface Outcome {
  readonly status: number | 'reset';
  readonly head: string;
}

/**
 * Uploads `size` bytes over a raw socket that reads nothing until the whole body is written, like a busy client:
 * the answer waits in the kernel. Resolves with the answer's status, or 'reset' when the connection was reset and
 * the answer lost.
 */
function upload(size: number, headers: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect(Number(port), hostname);
    socket.pause();
    let received = '';
    const finish = (): void => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve(
        status === undefined
          ? { status: 'reset', head: received }
          : { status: Number(status), head: received.split('\r\n\r\n', 1)[0] ?? '' },
      );
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', finish);
    socket.on('error', () => socket.destroy());
    const head = Object.entries({
      'content-type': mediaType.protobuf,
      'content-length': String(size),
      ...collectorAuth,
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST /v1/traces HTTP/1.1\r\nhost: ${hostname}\r\n${head}\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x0a);
    let sent = 0;
    const pump = (): void => {
      while (sent < size && !socket.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
      // Only now read the answer (and the end of the connection).
      socket.resume();
    };
    pump();
  });
}

describe('answers sent before the body is read reach clients still uploading', () => {
  it('429 + Retry-After for every upload beyond capacity, none reset', async () => {
    const held = Array.from({ length: 2 }, () => {
      const bytes = encodeRequest('traces', 'protobuf', traceRequest([span()]));
      const body = new PassThrough();
      body.write(bytes.subarray(0, 4));
      return {
        body,
        rest: bytes.subarray(4),
        response: app.inject({
          method: 'POST',
          url: '/v1/traces',
          headers: { 'content-type': mediaType.protobuf, ...collectorAuth },
          payload: body,
        }),
      } satisfies { body: PassThrough; rest: Buffer; response: Promise<LightMyRequestResponse> };
    });
    await eventually(async () => {
      const status = await pipelineStatus(app);
      return status.active_pipelines === 1 && status.queued_pipelines === 1;
    });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => upload(8 * 1024 * 1024)));
    expect(outcomes.map((o) => o.status)).toEqual([429, 429, 429, 429, 429, 429]);
    expect(
      outcomes.every((o) => /\r\nretry-after: 1\r\n/i.test(o.head) && /\r\nconnection: close\r\n/i.test(o.head)),
    ).toBe(true);
    for (const h of held) h.body.end(h.rest);
    expect((await Promise.all(held.map((h) => h.response))).map((r) => r.statusCode)).toEqual([200, 200]);
  });

  it('413 for a declared size over OTLP_MAX_BODY_BYTES, answered before the upload and not reset', async () => {
    const outcomes = await Promise.all(Array.from({ length: 3 }, () => upload(16 * 1024 * 1024)));
    expect(outcomes.map((o) => o.status)).toEqual([413, 413, 413]);
  });
});
