import pg from 'pg';
import { eventChannel, type BusEvent } from './sink.ts';

type Listener = (event: BusEvent) => void;

interface Logger {
  warn(object: object, message: string): void;
}

const isBusEvent = (value: unknown): value is BusEvent =>
  typeof value === 'object' && value !== null && Array.isArray((value as BusEvent).event) && typeof (value as BusEvent).id === 'string';

/**
 * The cross-process event bus: one dedicated connection LISTENs on the events channel; every process sees every
 * committed event (dashboards, live feeds, metrics). It reconnects with backoff when the database goes away.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly connection: pg.ClientConfig;
  private readonly log: Logger;

  /** `connection`: the pool's own settings (pool.options) do; the bus holds one connection of its own. */
  constructor(connection: pg.ClientConfig, log: Logger) {
    this.connection = connection;
    this.log = log;
  }

  async start(): Promise<void> {
    await this.connect(0);
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client(this.connection);
    client.on('notification', (message) => {
      if (message.channel !== eventChannel || message.payload === undefined) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.payload);
      } catch (error) {
        this.log.warn({ error: String(error) }, 'ignored a malformed event notification');
        return;
      }
      if (isBusEvent(parsed)) for (const listener of this.listeners) listener(parsed);
    });
    client.on('error', (error) => {
      this.log.warn({ error: error.message }, 'event bus connection lost; reconnecting');
      void client.end().catch(() => undefined);
      if (this.client === client) this.client = undefined;
      this.schedule(attempt + 1);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${eventChannel}`);
      this.client = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt === 0) throw error;
      this.log.warn({ error: String(error), attempt }, 'event bus could not reconnect yet');
      this.schedule(attempt + 1);
    }
  }

  private schedule(attempt: number): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(attempt);
    }, delay);
    this.retryTimer.unref();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.listeners.clear();
  }
}
