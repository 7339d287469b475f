import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { gracefulShutdown } from '../../src/server/shutdown.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, seedRegistry, testAuth, testConfig } from '../support/runtime.ts';

describe('graceful shutdown', () => {
  it('finishes a request in flight before closing the database, and refuses new connections meanwhile', async () => {
    const database = await createTestDatabase(import.meta.url);
    const app = await buildApp({ auth: testAuth, config: testConfig(), registry: await seedRegistry(), database, logger: false });
    let release: () => void = () => undefined;
    let entered = false;
    const events: string[] = [];
    // A request that is mid-way through a database call when the signal arrives.
    app.get('/test/in-flight', async () => {
      entered = true;
      await new Promise<void>((resolve) => (release = resolve));
      const { rows } = await database.pool.query('SELECT 41 + 1 AS answer');
      events.push('query answered');
      return rows[0];
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const stop = gracefulShutdown({
      app,
      closeDatabase: async () => {
        events.push('database closed');
        await database.drop();
      },
      log: { info: () => undefined },
    });

    const inFlight = fetch(`http://127.0.0.1:${port}/test/in-flight`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await eventually(async () => entered);
    const stopped = stop('SIGTERM');
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    release();
    expect(await inFlight).toEqual({ status: 200, body: { answer: 42 } });
    await stopped;
    expect(events).toEqual(['query answered', 'database closed']);
  });
});
