import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per app (never prom-client's global one), so several servers in one process (tests) keep their own
 * counts. Process metrics (CPU, memory, event-loop lag, GC) carry the same prefix as ours.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'self_sustaining_' });
  return registry;
}
