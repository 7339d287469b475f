import PgBoss from 'pg-boss';
import type { PhaseResult } from './stats.ts';
import { timed } from './stats.ts';

/** Priorities as pg-boss numbers (higher first), so its queue orders like claim_next. */
const priorityOf = { low: 0, medium: 1, high: 2, critical: 3 } as const;
const priorities = ['low', 'medium', 'high', 'critical'] as const;

/** pg-boss 10 on the same PostgreSQL (schema pgboss), no maintenance or cron running during the measure. */
export async function startBoss(url: string, workers: number): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: workers + 2,
    supervise: false,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error: Error) => console.error('pg-boss:', error.message));
  await boss.start();
  return boss;
}

/** A new queue of `count` jobs like the work_items seed: priorities cycling low..critical. */
export async function seedJobs(boss: PgBoss, queue: string, count: number): Promise<void> {
  await boss.createQueue(queue);
  for (let first = 1; first <= count; first += 1000) {
    const jobs = Array.from({ length: Math.min(1000, count - first + 1) }, (_, k) => {
      const i = first + k;
      return {
        name: queue,
        data: { n: i, work_type: ['build', 'test', 'deploy'][i % 3] },
        priority: priorityOf[priorities[i % 4] ?? 'medium'],
      };
    });
    await boss.insert(jobs);
  }
}

/** `workers` loops of fetch (one job) + complete until fetch returns nothing. */
export async function runBoss(system: string, boss: PgBoss, queue: string, workers: number): Promise<PhaseResult> {
  const claimMs: number[] = [];
  const cycleMs: number[] = [];
  const claims: { id: string; by: string }[] = [];
  const problems: string[] = [];
  const seconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        for (;;) {
          const started = performance.now();
          const [job] = await boss.fetch<{ n: number }>(queue);
          const tookClaim = performance.now() - started;
          if (job === undefined) return;
          claims.push({ id: job.id, by: String(worker) });
          await boss.complete(queue, job.id);
          claimMs.push(tookClaim);
          cycleMs.push(performance.now() - started);
        }
      }),
    );
  });
  return { system, items: cycleMs.length, seconds, claimMs, cycleMs, claims, problems };
}
