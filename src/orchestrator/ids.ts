import { randomFillSync, randomUUID } from 'node:crypto';
import type { IdSource } from './types.ts';

const poolBytes = 4096;

/**
 * Random W3C ids from a buffer of random bytes refilled in blocks (one `randomFillSync` per ~250 span ids, so ids
 * cost little per step). All-zero ids are invalid in W3C trace context and are drawn again.
 */
export function randomIds(): IdSource {
  const pool = Buffer.allocUnsafe(poolBytes);
  let offset = poolBytes;
  const hex = (bytes: number): string => {
    for (;;) {
      if (offset + bytes > poolBytes) {
        randomFillSync(pool);
        offset = 0;
      }
      const id = pool.toString('hex', offset, offset + bytes);
      offset += bytes;
      if (!/^0+$/.test(id)) return id;
    }
  };
  return { traceId: () => hex(16), spanId: () => hex(8), runId: () => randomUUID() };
}

const traceIdPattern = /^[0-9a-f]{32}$/;
const spanIdPattern = /^[0-9a-f]{16}$/;

/** W3C trace-context validity: lower-case hex of the right length, not all zeros. */
export const isTraceId = (id: string): boolean => traceIdPattern.test(id) && !/^0+$/.test(id);
export const isSpanId = (id: string): boolean => spanIdPattern.test(id) && !/^0+$/.test(id);
