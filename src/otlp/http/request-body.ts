import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { OtlpError } from '../errors.ts';

/** Bytes as they came over the wire (before gunzip), counted while the body is read. */
export interface WireCount {
  bytes: number;
}

/**
 * The request's chunks until it ends, or until `signal` aborts (the pipeline's time limit): then PIPELINE_TIMEOUT
 * (503, Retry-After) is thrown while the connection is still usable for the answer. The stream is never destroyed
 * here: destroying an IncomingMessage destroys its socket, and the client would see a reset instead of a 503.
 */
export async function* timedChunks(
  source: Readable,
  signal: AbortSignal,
  count: WireCount,
  log: FastifyBaseLogger,
): AsyncGenerator<Uint8Array> {
  const iterator = source.iterator({ destroyOnReturn: false });
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  for (;;) {
    const read = iterator.next();
    const next = await Promise.race([read, aborted]);
    if (next === 'aborted') {
      // The abandoned read settles when the connection closes after our answer; its error is only worth a debug line.
      read.catch((error: unknown) => log.debug({ err: error }, 'request body failed after the pipeline timed out'));
      throw new OtlpError('PIPELINE_TIMEOUT', 'the request body did not arrive within the pipeline time limit', {
        retryAfterSeconds: 1,
      });
    }
    if (next.done === true) return;
    const chunk: unknown = next.value;
    if (!(chunk instanceof Uint8Array)) throw new TypeError('request body chunks must be bytes');
    count.bytes += chunk.length;
    yield chunk;
  }
}
