import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

export interface HealthOptions {
  readonly pool: pg.Pool;
  readonly version: string;
  /** How long the database ping may take before it counts as down. */
  readonly timeoutMs: number;
}

type ServiceState = 'ok' | 'error';

/** `SELECT 1` with a deadline: a hung or stopped database answers "error" quickly instead of hanging the probe. */
async function pingDatabase(pool: pg.Pool, timeoutMs: number): Promise<ServiceState> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ServiceState>((resolve) => {
    timer = setTimeout(() => resolve('error'), timeoutMs);
  });
  const ping = pool.query('SELECT 1').then(
    (): ServiceState => 'ok',
    (): ServiceState => 'error',
  );
  try {
    return await Promise.race([ping, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /api/health: 200 when every service answers, 503 naming the one that does not. */
export async function healthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  const startedAt = performance.now();
  app.get('/api/health', async (_request, reply) => {
    const database = await pingDatabase(options.pool, options.timeoutMs);
    const healthy = database === 'ok';
    return reply.status(healthy ? 200 : 503).send({
      status: healthy ? 'ok' : 'error',
      services: { database },
      version: options.version,
      uptime_s: Math.floor((performance.now() - startedAt) / 1000),
    });
  });
}
