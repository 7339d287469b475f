import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testApp } from '../support/runtime.ts';

/** Debian's chromium (.ci/run installs it). Without it this test fails, loudly, rather than skipping. */
export const chromiumPath = '/usr/bin/chromium';

let database: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser | undefined;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  app = await testApp(database);
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await browser?.close();
  await app.close();
  await database.drop();
});

describe('/docs in a real browser', () => {
  it('renders the API reference with the agent operations, from assets the server serves itself', async () => {
    expect(existsSync(chromiumPath), `${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`).toBe(true);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${baseUrl}/docs`);
    // Swagger UI lists operations by tag; each shows its method, path and summary.
    const register = page.locator('.opblock', { hasText: '/api/json/agents/register' }).first();
    await register.waitFor({ state: 'visible', timeout: 30_000 });
    await expect(page.locator('.info .title').first().textContent()).resolves.toContain('Self-Sustaining System API');
    for (const operationPath of ['/api/json/agents', '/api/json/agents/{id}/heartbeat', '/api/json/work_items/{id}/claim', '/api/coordination/agents/register']) {
      await expect(page.locator('.opblock-summary-path', { hasText: operationPath }).first().isVisible()).resolves.toBe(true);
    }
    // Opening an operation shows its documented responses.
    await register.locator('.opblock-summary').click();
    await page.locator('.opblock-body .responses-table').first().waitFor({ state: 'visible', timeout: 30_000 });
    await expect(register.locator('.response-col_status', { hasText: '201' }).first().isVisible()).resolves.toBe(true);
    expect(failures).toEqual([]);
    expect(outside).toEqual([]);
  });
});
