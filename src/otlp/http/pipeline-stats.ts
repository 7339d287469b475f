import type { OtlpSignal } from '../model/common.ts';

export interface SignalCounters {
  /** Export requests that reached the route (including those refused for capacity). */
  requests: number;
  /** Items (spans, data points, log records) in decoded bodies, accepted + rejected. */
  received: number;
  accepted: number;
  /** Items refused by validation (reported as partial success). */
  rejected: number;
  /** Rows written (accepted items minus duplicates of rows already stored). */
  stored: number;
  /** Requests refused with 429 because every pipeline was busy and the queue full. */
  overloaded: number;
}

const newCounters = (): SignalCounters => ({
  requests: 0,
  received: 0,
  accepted: 0,
  rejected: 0,
  stored: 0,
  overloaded: 0,
});

/** How many recent pipeline durations the percentiles are computed over. */
const windowSize = 1024;

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

const round = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 100) / 100);

/** The receiver's counters since the plugin was registered: one instance per app, never a module global. */
export class PipelineStats {
  readonly signals: Record<OtlpSignal, SignalCounters> = {
    traces: newCounters(),
    metrics: newCounters(),
    logs: newCounters(),
  };
  /** Pipeline runs finished, by outcome (see `finish`). */
  succeeded = 0;
  clientErrors = 0;
  serverErrors = 0;
  timedOut = 0;
  /** Server-side failures since the last success: the health check's "pipeline" verdict. */
  consecutiveServerErrors = 0;
  /** Every answer of the export routes, by HTTP status. */
  readonly responses = new Map<number, number>();
  readonly #durations = new Float64Array(windowSize);
  #durationCount = 0;

  get finished(): number {
    return this.succeeded + this.clientErrors + this.serverErrors;
  }

  /**
   * A pipeline run ended after `ms` milliseconds (queue wait excluded): stored (200), refused for the client's own
   * doing (4xx, or a body that did not arrive in time), or failed on our side (the database, a bug).
   */
  finish(outcome: 'succeeded' | 'client_error' | 'server_error', ms: number): void {
    this.#durations[this.#durationCount % windowSize] = ms;
    this.#durationCount += 1;
    switch (outcome) {
      case 'succeeded':
        this.succeeded += 1;
        this.consecutiveServerErrors = 0;
        break;
      case 'client_error':
        this.clientErrors += 1;
        break;
      case 'server_error':
        this.serverErrors += 1;
        this.consecutiveServerErrors += 1;
        break;
    }
  }

  respond(status: number): void {
    this.responses.set(status, (this.responses.get(status) ?? 0) + 1);
  }

  /** p50 / p99 of the last `windowSize` runs, in ms. */
  processingMs(): { readonly p50: number | null; readonly p99: number | null; readonly samples: number } {
    const samples = Math.min(this.#durationCount, windowSize);
    const sorted = Array.from(this.#durations.subarray(0, samples)).sort((a, b) => a - b);
    return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), samples };
  }

  signalCounters(): Record<OtlpSignal, SignalCounters> {
    const { traces, metrics, logs } = this.signals;
    return { traces: { ...traces }, metrics: { ...metrics }, logs: { ...logs } };
  }
}
