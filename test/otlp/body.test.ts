// Request bodies with the limits specification.md ("OTLP/HTTP Request") requires: gzip and identity, the size capped
// "including after decompression" (413), a gzip bomb cut off without buffering it, corrupt gzip a 400.
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OtlpError, parseContentEncoding, readOtlpBody, type ReadBodyOptions } from '../../src/otlp/index.ts';

const MiB = 1024 * 1024;

/** Feeds `bytes` in chunks of `size`, counting what the reader pulled. */
function chunked(bytes: Uint8Array, size = 16 * 1024) {
  const counter = { consumed: 0 };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let offset = 0; offset < bytes.length; offset += size) {
      const chunk = bytes.subarray(offset, offset + size);
      counter.consumed += chunk.length;
      yield chunk;
    }
  }
  return { source: chunks(), counter };
}

async function failure(promise: Promise<unknown>): Promise<OtlpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OtlpError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

/** Buffer.equals: vitest's deep equality walks 200 000 elements one by one. */
const same = (actual: Uint8Array, expected: Uint8Array): boolean => Buffer.from(actual).equals(expected);

const read = (bytes: Uint8Array, options: ReadBodyOptions = {}) => readOtlpBody(chunked(bytes).source, options);

describe('identity and gzip', () => {
  const payload = randomBytes(200_000);

  it.each([undefined, '', 'identity', 'IDENTITY'])(
    'returns an unencoded body as is (Content-Encoding %s)',
    async (contentEncoding) => {
      expect(same(await read(payload, { contentEncoding }), payload)).toBe(true);
    },
  );

  it.each(['gzip', 'GZip', 'x-gzip', 'identity, gzip', ['gzip']])(
    'inflates a gzip body (Content-Encoding %s)',
    async (contentEncoding) => {
      expect(same(await read(gzipSync(payload), { contentEncoding }), payload)).toBe(true);
    },
  );

  it('inflates a gzip body of several members (RFC 1952 §2.2), from a Readable', async () => {
    const body = Buffer.concat([gzipSync(payload.subarray(0, 1000)), gzipSync(payload.subarray(1000))]);
    expect(
      same(
        await readOtlpBody(Readable.from([body.subarray(0, 7), body.subarray(7)]), { contentEncoding: 'gzip' }),
        payload,
      ),
    ).toBe(true);
  });

  it.each(['br', 'deflate', 'zstd', 'gzip, gzip', 'compress'])(
    'refuses Content-Encoding %s with a 415',
    async (contentEncoding) => {
      const error = await failure(read(payload, { contentEncoding }));
      expect(error).toMatchObject({ code: 'UNSUPPORTED_CONTENT_ENCODING', httpStatus: 415 });
      expect(() => parseContentEncoding(contentEncoding)).toThrow(OtlpError);
    },
  );
});

describe('size limits (413)', () => {
  it('accepts a body of exactly the limit and refuses one byte more', async () => {
    expect(await read(new Uint8Array(1000), { maxBodyBytes: 1000 })).toHaveLength(1000);
    const error = await failure(read(new Uint8Array(1001), { maxBodyBytes: 1000 }));
    expect(error).toMatchObject({ code: 'BODY_TOO_LARGE', httpStatus: 413 });
    expect(error.message).toBe('the request body exceeds the limit of 1000 bytes');
  });

  it('applies the limit after decompression', async () => {
    const body = gzipSync(new Uint8Array(2 * MiB));
    expect(body.length).toBeLessThan(MiB);
    const error = await failure(read(body, { contentEncoding: 'gzip', maxBodyBytes: MiB }));
    expect(error.message).toBe('the request body after gzip decompression exceeds the limit of 1 MiB');
  });

  it('caps the compressed input too', async () => {
    const body = gzipSync(randomBytes(100_000));
    const error = await failure(read(body, { contentEncoding: 'gzip', maxBodyBytes: MiB, maxCompressedBytes: 50_000 }));
    expect(error.message).toBe('the gzip-compressed request body exceeds the limit of 50000 bytes');
  });

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    const { source, counter } = chunked(new Uint8Array(10));
    const error = await failure(readOtlpBody(source, { contentLength: '67108865' }));
    expect(error.message).toBe('the request body (Content-Length 67108865) exceeds the limit of 64 MiB');
    expect(counter.consumed).toBe(0);
  });

  it('cuts off a 1 GiB gzip bomb at the default 64 MiB without buffering it', async () => {
    // 1 GiB of zeros as 1024 gzip members of 1 MiB each (~1 MB on the wire; a valid multi-member gzip stream).
    const member = gzipSync(new Uint8Array(MiB), { level: 9 });
    const bomb = Buffer.concat(new Array<Buffer>(1024).fill(member));
    const { source, counter } = chunked(bomb, 4096);
    const before = process.memoryUsage();
    let peak = 0;
    const sampled = (async function* () {
      for await (const chunk of source) {
        const now = process.memoryUsage();
        peak = Math.max(peak, now.arrayBuffers + now.heapUsed - before.arrayBuffers - before.heapUsed);
        yield chunk;
      }
    })();

    const error = await failure(readOtlpBody(sampled, { contentEncoding: 'gzip' }));

    expect(error).toMatchObject({ code: 'BODY_TOO_LARGE', httpStatus: 413 });
    expect(error.message).toContain('after gzip decompression exceeds the limit of 64 MiB');
    // Stopped right after the limit: 64 MiB of 1024 MiB is 1/16 of the input, plus what the streams had buffered.
    expect(counter.consumed).toBeLessThan(bomb.length / 8);
    expect(peak).toBeLessThan(256 * MiB);
  });

  it('cuts off a single-member gzip bomb as soon as the limit passes', async () => {
    const bomb = gzipSync(new Uint8Array(64 * MiB), { level: 9 });
    const { source, counter } = chunked(bomb, 1024);
    const error = await failure(readOtlpBody(source, { contentEncoding: 'gzip', maxBodyBytes: MiB }));
    expect(error.code).toBe('BODY_TOO_LARGE');
    expect(counter.consumed).toBeLessThan(bomb.length / 2);
  });

  it('leaves an HTTP request stream open when a limit stops reading, so the 413 can still be sent', async () => {
    // Like an IncomingMessage whose client is still sending: data written, no end yet.
    const request = new PassThrough();
    request.write(Buffer.alloc(1200));
    await failure(readOtlpBody(request, { maxBodyBytes: 1000 }));
    expect(request.destroyed).toBe(false);

    const gzipRequest = new PassThrough();
    gzipRequest.write(gzipSync(new Uint8Array(64 * MiB)).subarray(0, 32 * 1024));
    await failure(readOtlpBody(gzipRequest, { contentEncoding: 'gzip', maxBodyBytes: MiB }));
    expect(gzipRequest.destroyed).toBe(false);
  });
});

describe('corrupt gzip (400)', () => {
  const body = gzipSync(Buffer.from('{"resourceSpans":[]}'));

  it.each([
    ['not gzip at all', Buffer.from('{"resourceSpans":[]}'), 'invalid gzip body: incorrect header check'],
    ['truncated', body.subarray(0, body.length - 5), 'invalid gzip body: unexpected end of file'],
    ['empty', new Uint8Array(0), 'invalid gzip body: unexpected end of file'],
    [
      'a corrupted trailer checksum',
      Buffer.concat([body.subarray(0, body.length - 8), Buffer.alloc(8, 0xff)]),
      'invalid gzip body: incorrect data check',
    ],
  ])('%s', async (_, bytes, message) => {
    const error = await failure(read(bytes, { contentEncoding: 'gzip' }));
    expect(error).toMatchObject({ code: 'UNDECODABLE_BODY', httpStatus: 400, message });
    expect(error.cause).toMatchObject({ code: expect.stringMatching(/^Z_/) });
  });
});

it('passes the source’s own errors through unchanged (a client that disconnects is not a bad body)', async () => {
  const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
  async function* dropped(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(10);
    throw reset;
  }
  await expect(readOtlpBody(dropped())).rejects.toBe(reset);
  await expect(readOtlpBody(dropped(), { contentEncoding: 'gzip' })).rejects.toBe(reset);
});

describe('a declared Content-Length (issue 7: the body is held once, not in chunks and again concatenated)', () => {
  const payload = randomBytes(100_000);

  it('reads exactly the declared bytes', async () => {
    expect(same(await read(payload, { contentLength: String(payload.length) }), payload)).toBe(true);
  });

  it('gives what came when fewer bytes arrive than declared', async () => {
    const body = await read(payload, { contentLength: String(payload.length + 5000) });
    expect(body.length).toBe(payload.length);
    expect(same(body, payload)).toBe(true);
  });

  it('keeps every byte, in order, when more arrive than declared', async () => {
    const body = await read(payload, { contentLength: '30000' });
    expect(same(body, payload)).toBe(true);
  });
});
