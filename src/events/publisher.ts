import type pg from 'pg';
import { eventChannel, type BusEvent } from './sink.ts';

interface Logger {
  warn(object: object, message: string): void;
}

/** Events queued beyond this (the database unreachable for long) are dropped, oldest first, and counted. */
const maxQueued = 10_000;
/** Notifications sent by one statement. */
const maxBatch = 200;

/**
 * Sends committed changes to every process's event bus: NOTIFYs batched per tick on the pool, outside the writers'
 * transactions. PostgreSQL serializes the commits of notifying transactions (with their WAL flush), so a NOTIFY
 * inside each claim would cap claims at one per fsync; batched here, one notifying commit carries many events.
 * Delivery is at most once: the durable record of an event is its telemetry row, the bus is for live views.
 */
export class EventPublisher {
  private queue: string[] = [];
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  private readonly pool: pg.Pool;
  private readonly log: Logger;

  constructor(pool: pg.Pool, log: Logger) {
    this.pool = pool;
    this.log = log;
  }

  publish(event: BusEvent): void {
    this.queue.push(JSON.stringify(event));
    if (this.queue.length > maxQueued) {
      this.queue.splice(0, this.queue.length - maxQueued);
      this.dropped += 1;
    }
    // Events of one tick go together: the flush starts after the current I/O callbacks have queued theirs.
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, maxBatch);
        try {
          await this.pool.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [eventChannel, batch]);
        } catch (error) {
          this.dropped += batch.length;
          this.log.warn({ error: String(error), dropped: batch.length }, 'could not announce events on the bus; they stay recorded as telemetry');
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Events that never reached the bus (database away, queue overflow). */
  get droppedEvents(): number {
    return this.dropped;
  }

  /** Waits for what is queued to be sent (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }
}
