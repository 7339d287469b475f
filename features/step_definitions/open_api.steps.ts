import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Then, When } from '@cucumber/cucumber';
import { chromium } from 'playwright-core';
import { testAdminToken } from '../../test/support/runtime.ts';
import { documentedProblems } from '../../test/openapi/support.ts';
import type { ProjectWorld } from '../support/world.ts';

const chromiumPath = '/usr/bin/chromium';

/** What the last request answered, as the document check reads it. */
interface Reading {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly text: string;
}
const readings = new WeakMap<ProjectWorld, Reading>();

When('an integrator reads {string} without a token', async function (this: ProjectWorld, url: string) {
  const response = await this.requireApp().inject({ method: 'GET', url });
  this.last = { status: response.statusCode, body: response.json() };
});

Then('it is an OpenAPI 3.1 document with the bearer security scheme', function (this: ProjectWorld) {
  assert.equal(this.last?.status, 200);
  const document = this.last?.body as { openapi: string; components: { securitySchemes: Record<string, { scheme: string }> } };
  assert.equal(document.openapi, '3.1.0');
  assert.equal(document.components.securitySchemes['bearerAuth']?.scheme, 'bearer');
});

Then('it documents {string} as {string}', function (this: ProjectWorld, operationId: string, route: string) {
  const [method = '', path = ''] = route.split(' ');
  const paths = (this.last?.body as { paths: Record<string, Record<string, { operationId: string }>> }).paths;
  assert.equal(paths[path]?.[method.toLowerCase()]?.operationId, operationId, `${route} is not documented as ${operationId}`);
});

When('work of type {string} is submitted with a payload whose velocity points are {string}', async function (this: ProjectWorld, type: string, points: string) {
  const response = await this.requireApp().inject({
    method: 'POST',
    url: '/api/json/work_items',
    headers: { 'content-type': 'application/vnd.api+json', authorization: `Bearer ${testAdminToken}` },
    payload: JSON.stringify({ data: { type: 'work_item', attributes: { work_type: type, payload: { velocity_points: points } } } }),
  });
  this.last = { status: response.statusCode, body: response.json() };
  readings.set(this, { status: response.statusCode, contentType: String(response.headers['content-type']), headers: response.headers, text: response.body });
});

Then('there is an error at {string}', function (this: ProjectWorld, pointer: string) {
  const errors = (this.last?.body as { errors: { source?: { pointer?: string } }[] }).errors;
  assert.deepEqual(errors.map((e) => e.source?.pointer), [pointer]);
});

Then('the answer is what the document promises for {string}', function (this: ProjectWorld, operationId: string) {
  assert.ok(this.last !== undefined, 'no request was made yet');
  // The shared steps keep the status and the body (headers are the contract test's, test/openapi/contract.test.ts).
  const reading = readings.get(this);
  const text = this.last.body === undefined ? '' : JSON.stringify(this.last.body);
  const answer = {
    status: this.last.status,
    headers: reading?.headers ?? {},
    contentType: reading?.contentType ?? (operationId.startsWith('coordination') ? 'application/json' : 'application/vnd.api+json'),
    text,
    raw: Buffer.from(text),
    body: this.last.body,
  };
  assert.deepEqual(documentedProblems(operationId, answer, { headers: reading !== undefined }), []);
});

When('an integrator opens {string} in a browser', async function (this: ProjectWorld, path: string) {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  const baseUrl = await this.requireApp().listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  this.stops.push(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${baseUrl}${path}`);
  await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 30_000 });
  const operations = await page.locator('.opblock-summary').evaluateAll((nodes) =>
    nodes.map((node) => `${node.querySelector('.opblock-summary-method')?.textContent ?? ''} ${node.querySelector('.opblock-summary-path')?.textContent ?? ''}`.replace(/\u200b/g, '')),
  );
  this.last = { status: 200, body: operations };
});

Then('the page lists {string} and {string}', function (this: ProjectWorld, first: string, second: string) {
  const listed = this.last?.body as string[];
  assert.ok(listed.includes(first), `${first} is not on the page: ${listed.slice(0, 10).join(', ')}`);
  assert.ok(listed.includes(second), `${second} is not on the page`);
});
