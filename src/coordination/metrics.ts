import { Counter, Gauge, Histogram, type Registry as MetricsRegistry } from 'prom-client';
import type { ActionObservation } from '../actions/context.ts';
import type { Executor } from '../db/pool.ts';
import type { BusEvent } from '../events/sink.ts';
import type { Registry } from '../runtime/registry.ts';
import { coordinationStatus, type CoordinationStatus } from './status.ts';

export interface CoordinationMetricsOptions {
  readonly metrics: MetricsRegistry;
  readonly db: Executor;
  readonly registry: Registry;
  readonly offlineAfterMs: number;
  /** This server process: counters count the changes it made (Prometheus sums them across instances). */
  readonly origin: string;
}

export interface CoordinationMetrics {
  /** Feed with every bus event; those of other processes are ignored (they count them themselves). */
  onEvent(event: BusEvent): void;
  /** Feed with every action run; claim actions land in the claim-latency histogram. */
  onAction(observation: ActionObservation): void;
}

/** All gauges of one scrape come from one status read; scrapes closer together than this share it too. */
const snapshotTtlMs = 250;
const claimActions = new Set(['claim_work', 'claim_next']);
const label = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);

/**
 * The original's coordination metrics, under the names its Grafana dashboard reads. Counters follow committed
 * transitions (bus events, so a rolled-back claim never counts); gauges are computed from PostgreSQL at scrape time,
 * so every process reports the same truth.
 */
export function coordinationMetrics(options: CoordinationMetricsOptions): CoordinationMetrics {
  const registers = [options.metrics];
  const claims = new Counter({
    name: 'self_sustaining_work_claims_total',
    help: 'Work items claimed (claim and claim-next), by team, work type and priority.',
    labelNames: ['team', 'work_type', 'priority'] as const,
    registers,
  });
  const completions = new Counter({
    name: 'self_sustaining_work_completions_total',
    help: 'Work items finished, by team and final status (completed or failed).',
    labelNames: ['team', 'status'] as const,
    registers,
  });
  const expirations = new Counter({
    name: 'self_sustaining_work_claim_expirations_total',
    help: 'Claims whose lease expired and went back to pending, by team, work type and priority.',
    labelNames: ['team', 'work_type', 'priority'] as const,
    registers,
  });
  const claimLatency = new Histogram({
    name: 'self_sustaining_work_claim_duration_seconds',
    help: 'Time to answer a claim (claim or claim-next, including its transaction), by action and outcome.',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });

  let cached: { at: number; value: Promise<CoordinationStatus | undefined> } | undefined;
  const snapshot = (): Promise<CoordinationStatus | undefined> => {
    if (cached === undefined || Date.now() - cached.at > snapshotTtlMs) {
      // A scrape while the database is away reports status_up 0 and no stale numbers, rather than failing.
      cached = { at: Date.now(), value: coordinationStatus(options.db, options.registry, options.offlineAfterMs).catch(() => undefined) };
    }
    return cached.value;
  };
  const gauge = (name: string, help: string, read: (status: CoordinationStatus) => number): void => {
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const status = await snapshot();
        if (status === undefined) this.reset();
        else this.set(read(status));
      },
    });
  };
  const gaugeBy = <L extends string>(name: string, help: string, labelName: L, read: (status: CoordinationStatus) => Readonly<Record<string, number>>): void => {
    new Gauge({
      name,
      help,
      labelNames: [labelName],
      registers,
      async collect() {
        const status = await snapshot();
        this.reset();
        if (status !== undefined) for (const [value, n] of Object.entries(read(status))) this.set({ [labelName]: value } as Record<L, string>, n);
      },
    });
  };
  new Gauge({
    name: 'self_sustaining_coordination_status_up',
    help: '1 when the coordination gauges could be read from the database at this scrape, else 0 (and they are absent).',
    registers,
    async collect() {
      this.set((await snapshot()) === undefined ? 0 : 1);
    },
  });
  gauge('self_sustaining_active_agents_count', 'Agents active now (heartbeat within 3 intervals).', (s) => s.agents.active);
  gauge('self_sustaining_agents_count', 'Registered agents.', (s) => s.agents.total);
  gauge('self_sustaining_active_work_items_count', 'Work items claimed or in progress.', (s) => (s.work.by_status['claimed'] ?? 0) + (s.work.by_status['in_progress'] ?? 0));
  gauge('self_sustaining_coordination_health_score', "The original's coordination health score (10..90).", (s) => s.health_score);
  gauge('self_sustaining_coordination_operations_per_hour', 'Work items completed in the last hour.', (s) => s.performance.operations_per_hour);
  gauge('self_sustaining_velocity_points_total', 'Velocity points of all completed work (5 per item unless its payload says otherwise).', (s) => s.velocity.total_points);
  gaugeBy('self_sustaining_work_queue_depth', 'Pending work items, by priority.', 'priority', (s) => s.work.pending_by_priority);
  gaugeBy('self_sustaining_work_items_count', 'Work items, by status.', 'status', (s) => s.work.by_status);

  return {
    onEvent(event) {
      if (event.origin !== options.origin || event.resource !== 'work_item') return;
      const attributes = event.attributes;
      const team = label(attributes['team'], 'unknown');
      const what = event.event.join('.');
      if (what === 'coordination.work.claimed') {
        claims.inc({ team, work_type: label(attributes['work_type'], 'general'), priority: label(attributes['priority'], 'medium') });
      } else if (what === 'coordination.work.completed' || what === 'coordination.work.failed') {
        completions.inc({ team, status: label(attributes['status'], event.event.at(-1) ?? 'unknown') });
      } else if (what === 'coordination.work.claim_expired') {
        expirations.inc({ team, work_type: label(attributes['work_type'], 'general'), priority: label(attributes['priority'], 'medium') });
      }
    },
    onAction(observation) {
      if (observation.resource === 'work_item' && claimActions.has(observation.action)) {
        claimLatency.observe({ action: observation.action, outcome: observation.outcome }, observation.seconds);
      }
    },
  };
}
