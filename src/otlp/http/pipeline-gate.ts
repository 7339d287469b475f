import pLimit, { type LimitFunction } from 'p-limit';

/**
 * At most `maxConcurrent` pipelines run at once (p-limit) and at most `maxQueued` wait for one; a request beyond
 * both is refused before anything of it is read. The admission test and the enqueue are one synchronous step, so
 * two requests can never both take the last place.
 */
export class PipelineGate {
  readonly #limit: LimitFunction;
  readonly maxQueued: number;

  constructor(maxConcurrent: number, maxQueued: number) {
    this.#limit = pLimit(maxConcurrent);
    this.maxQueued = maxQueued;
  }

  get maxConcurrent(): number {
    return this.#limit.concurrency;
  }

  get active(): number {
    return this.#limit.activeCount;
  }

  get queued(): number {
    return this.#limit.pendingCount;
  }

  get saturated(): boolean {
    return this.active + this.queued >= this.maxConcurrent + this.maxQueued;
  }

  /** Runs `work` in a pipeline slot (now, or after waiting in the queue); `undefined` when the queue is full too. */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.saturated) return undefined;
    return this.#limit(work);
  }
}
