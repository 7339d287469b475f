import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { OtlpError, undecodable } from './errors.ts';

/** "It is RECOMMENDED to use 64 MiB as the default limit" (specification.md, "OTLP/HTTP Request"). */
export const defaultMaxBodyBytes = 64 * 1024 * 1024;

/** The content codings we decode: the spec's "none" and gzip ("All servers MUST support ... gzip"). */
export type ContentEncoding = 'identity' | 'gzip';

/**
 * A request's Content-Encoding: a list of codings in the order they were applied (RFC 9110 §8.4); `identity` is a
 * no-op and `x-gzip` means gzip (§8.4.1.3). Anything else, or gzip twice, is an OtlpError
 * UNSUPPORTED_CONTENT_ENCODING (415, RFC 9110 §15.5.16).
 */
export function parseContentEncoding(header: string | readonly string[] | undefined): ContentEncoding {
  const codings = (typeof header === 'string' ? [header] : (header ?? []))
    .flatMap((value) => value.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  throw new OtlpError(
    'UNSUPPORTED_CONTENT_ENCODING',
    `unsupported content encoding ${JSON.stringify(codings.join(', '))}: OTLP/HTTP accepts gzip or no encoding`,
  );
}

export interface BodyLimits {
  /** The largest body accepted after decompression (OTLP_MAX_BODY_BYTES). Default 64 MiB. */
  readonly maxBodyBytes?: number;
  /** The largest gzip body accepted as sent. Default: maxBodyBytes. */
  readonly maxCompressedBytes?: number;
}

export interface ReadBodyOptions extends BodyLimits {
  /** The Content-Encoding header (parsed with parseContentEncoding). */
  readonly contentEncoding?: string | readonly string[] | undefined;
  /** The Content-Length header, if any: a body declared too large is refused before a byte is read. */
  readonly contentLength?: string | number | undefined;
}

const mib = (bytes: number): string =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;

function tooLarge(what: string, limit: number): OtlpError {
  return new OtlpError('BODY_TOO_LARGE', `${what} exceeds the limit of ${mib(limit)}`);
}

/**
 * The chunks of a body. A Readable is iterated with `destroyOnReturn: false`: stopping early (a limit) must not
 * destroy an HTTP request, or the 413 could not be sent and the client would see a reset (and retry).
 */
async function* chunksOf(source: Readable | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterable: AsyncIterable<unknown> =
    source instanceof Readable ? { [Symbol.asyncIterator]: () => source.iterator({ destroyOnReturn: false }) } : source;
  for await (const chunk of iterable) {
    if (!(chunk instanceof Uint8Array))
      throw new TypeError('body chunks must be bytes (the stream has an encoding set)');
    yield chunk;
  }
}

/** Passes chunks through until more than `limit` bytes have come, then throws BODY_TOO_LARGE. */
async function* capped(chunks: AsyncIterable<Uint8Array>, limit: number, what: string): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) throw tooLarge(what, limit);
    yield chunk;
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(parts, total);
}

/**
 * `collect` into one buffer of the declared size: the body is held once, not once in chunks and again in their
 * concatenation. Fewer bytes than declared give a shorter view; more (impossible over HTTP, whose parser enforces
 * Content-Length) fall back to concatenation.
 */
async function collectInto(chunks: AsyncIterable<Uint8Array>, declared: number): Promise<Buffer> {
  const body = Buffer.allocUnsafe(declared);
  let filled = 0;
  let length = 0;
  const overflow: Uint8Array[] = [];
  for await (const chunk of chunks) {
    if (overflow.length === 0 && filled + chunk.length <= declared) {
      body.set(chunk, filled);
      filled += chunk.length;
    } else {
      overflow.push(chunk);
    }
    length += chunk.length;
  }
  return overflow.length === 0
    ? body.subarray(0, filled)
    : Buffer.concat([body.subarray(0, filled), ...overflow], length);
}

const isZlibError = (error: unknown): error is Error & { code: string } =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_');

/**
 * Reads an OTLP request body, decompressing gzip, with the size limits the spec requires: "The server MUST limit
 * the size of the request body when parsing it, including after decompression ... the server MUST respond with
 * HTTP 413" (specification.md, "OTLP/HTTP Request"). The decompressed size is counted as zlib produces it (16 KiB
 * at a time), and reading stops at the first byte past the limit, so a gzip bomb costs at most the limit in memory;
 * the compressed input is capped as well.
 *
 * Throws OtlpError BODY_TOO_LARGE (413), UNSUPPORTED_CONTENT_ENCODING (415), or UNDECODABLE_BODY (400) for a corrupt
 * or truncated gzip stream. Errors of the source itself (a client that disconnects) pass through unchanged.
 */
export async function readOtlpBody(
  source: Readable | AsyncIterable<Uint8Array>,
  options: ReadBodyOptions = {},
): Promise<Buffer> {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const encoding = parseContentEncoding(options.contentEncoding);
  const rawLimit = encoding === 'gzip' ? (options.maxCompressedBytes ?? maxBodyBytes) : maxBodyBytes;
  const rawWhat = encoding === 'gzip' ? 'the gzip-compressed request body' : 'the request body';
  const declared = options.contentLength === undefined ? Number.NaN : Number(options.contentLength);
  if (declared > rawLimit) throw tooLarge(`${rawWhat} (Content-Length ${declared})`, rawLimit);

  const raw = capped(chunksOf(source), rawLimit, rawWhat);
  if (encoding === 'identity')
    return Number.isSafeInteger(declared) && declared > 0 ? collectInto(raw, declared) : collect(raw);

  let inflated: Buffer | undefined;
  try {
    await pipeline(raw, createGunzip(), async (output: AsyncIterable<Uint8Array>) => {
      inflated = await collect(capped(output, maxBodyBytes, 'the request body after gzip decompression'));
    });
  } catch (error) {
    if (isZlibError(error)) throw undecodable(`invalid gzip body: ${error.message}`, error);
    throw error;
  }
  return inflated ?? Buffer.alloc(0);
}
