import { OtlpError } from '../errors.ts';

interface Waiter {
  readonly bytes: number;
  readonly grant: () => void;
}

/**
 * How many body bytes may be decoded and stored at once. Decoding multiplies a body's size in memory (objects for
 * every span, attribute and value, then the row text), so the pipeline count alone does not bound memory: five
 * 64 MiB bodies would need gigabytes. Pipelines take their body's size from this budget before decoding and give it
 * back after COMMIT; a body larger than the whole budget runs alone. First come, first served, so a large body is
 * not starved by small ones.
 */
export class ByteBudget {
  readonly capacity: number;
  #used = 0;
  readonly #waiters: Waiter[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get used(): number {
    return this.#used;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** What a request of `bytes` takes: its size, or the whole budget when it is larger. */
  #cost(bytes: number): number {
    return Math.min(Math.max(bytes, 1), this.capacity);
  }

  /**
   * Resolves with the release function once `bytes` fit, or rejects with PIPELINE_TIMEOUT when `signal` aborts
   * first (the pipeline's time limit). The release function must be called exactly once.
   */
  async acquire(bytes: number, signal: AbortSignal): Promise<() => void> {
    const cost = this.#cost(bytes);
    if (this.#waiters.length === 0 && this.#used + cost <= this.capacity) {
      this.#used += cost;
      return this.#releaser(cost);
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        bytes: cost,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        this.#grantWaiting();
        reject(
          new OtlpError(
            'PIPELINE_TIMEOUT',
            'the pipeline exceeded its time limit waiting for memory to decode the body',
            {
              retryAfterSeconds: 1,
            },
          ),
        );
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
    return this.#releaser(cost);
  }

  #releaser(cost: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used -= cost;
      this.#grantWaiting();
    };
  }

  #grantWaiting(): void {
    for (
      let head = this.#waiters[0];
      head !== undefined && this.#used + head.bytes <= this.capacity;
      head = this.#waiters[0]
    ) {
      this.#waiters.shift();
      this.#used += head.bytes;
      head.grant();
    }
  }
}
