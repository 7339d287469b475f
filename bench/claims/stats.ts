/** What one system did in one measured phase. */
export interface PhaseResult {
  readonly system: string;
  readonly items: number;
  readonly seconds: number;
  /** Latency of taking one item (claim_next request, claim transaction, pg-boss fetch), ms. */
  readonly claimMs: readonly number[];
  /** Latency of one whole item (claim + start + complete; fetch + complete), ms. */
  readonly cycleMs: readonly number[];
  /** Every claim the workers got: item id -> the worker (agent row id, or worker index) that got it. */
  readonly claims: readonly { readonly id: string; readonly by: string }[];
  /** Requests or statements that did not answer as expected (each one is listed in `problems`). */
  readonly problems: readonly string[];
}

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

export const median = (values: readonly number[]): number => percentile(values, 50);

export const rate = (result: PhaseResult): number => result.items / result.seconds;

/** The wall time of `work`, in seconds. */
export async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}
