import { access, chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';

const asRoot = userInfo().uid === 0;

describe('embedded PostgreSQL', () => {
  it('initialises once, keeps its data and its port across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ss-embedded-'));
    await chmod(dataDir, 0o755);
    try {
      const first = await startEmbeddedPostgres(dataDir);
      const client = new pg.Client({ connectionString: first.connectionString });
      await client.connect();
      await client.query('CREATE TABLE kept (n int)');
      await client.query('INSERT INTO kept VALUES (42)');
      await client.end();
      await first.stop();
      const second = await startEmbeddedPostgres(dataDir);
      expect(second.connectionString).toBe(first.connectionString);
      const again = new pg.Client({ connectionString: second.connectionString });
      await again.connect();
      expect((await again.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
      await again.end();
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.runIf(asRoot)('as root under a private directory, runs the cluster where the postgres user can reach it', async () => {
    const privateDir = await mkdtemp(path.join(tmpdir(), 'ss-private-'));
    const dataDir = path.join(privateDir, '.data');
    await mkdir(dataDir);
    const messages: string[] = [];
    const server = await startEmbeddedPostgres(dataDir, (m) => messages.push(m));
    try {
      const client = new pg.Client({ connectionString: server.connectionString });
      await client.connect();
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await client.end();
      expect(messages.join('\n')).toMatch(/cannot reach .* \/var\/tmp\/self-sustaining\/\w+\/postgres/);
      await expect(access(path.join(dataDir, 'postgres'))).rejects.toThrow();
    } finally {
      await server.stop();
      const fallback = /(\/var\/tmp\/self-sustaining\/\w+)\/postgres/.exec(messages.join('\n'))?.[1];
      if (fallback !== undefined) await rm(fallback, { recursive: true, force: true });
      await rm(privateDir, { recursive: true, force: true });
    }
  });
});
