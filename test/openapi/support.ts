import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, InjectOptions } from 'fastify';

export const projectRoot = path.resolve(import.meta.dirname, '../..');
export const documentFile = path.join(projectRoot, 'openapi/openapi.json');

type Json = Readonly<Record<string, unknown>>;

/** The committed document, as an integrator downloads it. */
export const document: Json = JSON.parse(readFileSync(documentFile, 'utf8'));

export const asRecord = (value: unknown): Json => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not an object: ${JSON.stringify(value)?.slice(0, 80)}`);
  return value as Json;
};

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly pointer: string;
  readonly value: Json;
}

const escape = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every operation of the document. */
export const operations: readonly Operation[] = Object.entries(asRecord(document['paths'])).flatMap(([template, item]) =>
  Object.entries(asRecord(item)).map(([method, value]) => ({
    method: method.toUpperCase(),
    path: template,
    operationId: String(asRecord(value)['operationId']),
    pointer: `/paths/${escape(template)}/${method}`,
    value: asRecord(value),
  })),
);

export function operationById(operationId: string): Operation {
  const found = operations.find((o) => o.operationId === operationId);
  if (found === undefined) throw new Error(`the document has no operation ${operationId}`);
  return found;
}

/** Follows a local `$ref` (`#/components/...`) to its target and JSON pointer. */
export function deref(value: Json, pointer: string): { value: Json; pointer: string } {
  const target = value['$ref'];
  if (typeof target !== 'string') return { value, pointer };
  let node: unknown = document;
  for (const segment of target.slice(2).split('/')) node = asRecord(node)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  return { value: asRecord(node), pointer: target.slice(1) };
}

// The document is one schema resource: every `#/components/...` inside it resolves against it, as for a client.
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats.default(ajv);
ajv.addSchema(document, 'openapi.json');
const compiled = new Map<string, ValidateFunction>();

function validatorAt(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

/** Which statuses each operation was seen answering, with a validated body (or none where none is documented). */
export const coverage = new Map<string, Set<string>>();

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly contentType: string;
  readonly text: string;
  readonly raw: Buffer;
  /** The parsed JSON body, when the answer is JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read structurally after they validated against the document
  readonly body: any;
}

const essence = (type: string): string => type.split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * What is wrong with an answer, measured against what the document promises for the operation: an undocumented
 * status or media type, a body invalid against the documented schema (Ajv, draft 2020-12), a missing documented
 * header. Empty when the answer is as documented. (No test framework here: features use it too.)
 */
export function documentedProblems(operationId: string, answer: Answer, options: { readonly headers?: boolean } = {}): string[] {
  const operation = operationById(operationId);
  const responses = asRecord(operation.value['responses']);
  const status = String(answer.status);
  if (!(status in responses)) return [`${operationId} answered ${status}, which it does not document: ${answer.text.slice(0, 300)}`];
  const response = deref(asRecord(responses[status]), `${operation.pointer}/responses/${status}`);
  const content = response.value['content'] === undefined ? undefined : asRecord(response.value['content']);
  const problems: string[] = [];
  if (content === undefined) {
    if (answer.raw.length !== 0) problems.push(`${operationId} ${status} documents no body, got ${answer.text.slice(0, 100)}`);
  } else {
    const types = Object.keys(content);
    const mediaType = types.find((t) => t === answer.contentType) ?? types.find((t) => essence(t) === essence(answer.contentType));
    if (mediaType === undefined) problems.push(`${operationId} ${status} answered ${answer.contentType}; documented: ${types.join(', ')}`);
    else if (essence(answer.contentType).endsWith('json')) {
      const validate = validatorAt(`${response.pointer}/content/${escape(mediaType)}/schema`);
      if (!validate(answer.body)) problems.push(`${operationId} ${status} body does not match the document: ${JSON.stringify(validate.errors?.slice(0, 4))}\n${answer.text.slice(0, 600)}`);
    }
  }
  for (const name of options.headers === false ? [] : Object.keys(asRecord(response.value['headers'] ?? {}))) {
    if (name === 'Retry-After' && answer.status === 409) continue; // only state conflicts carry it among 409s
    if (answer.headers[name.toLowerCase()] === undefined) problems.push(`${operationId} ${status} documents the ${name} header`);
  }
  return problems;
}

/** Asserts the answer is as documented (node:assert, so features can use it too), and records the status as covered for the operation. */
export function expectDocumented(operationId: string, answer: Answer): void {
  assert.deepEqual(documentedProblems(operationId, answer), []);
  coverage.set(operationId, (coverage.get(operationId) ?? new Set()).add(String(answer.status)));
}

export interface Call {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Bearer token; '' for none. */
  readonly token?: string;
}

export const adminToken = 'test-admin-token-0123456789';

/** Fills a path template: `/api/json/agents/{id}` with `{ id }`. */
export const fill = (template: string, params: Readonly<Record<string, string>> = {}): string =>
  template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });

/** A real request to the operation through app.inject, checked against the document. */
export async function call(app: FastifyInstance, operationId: string, request: Call = {}): Promise<Answer> {
  const operation = operationById(operationId);
  const token = request.token ?? adminToken;
  const body = request.body;
  const isBuffer = Buffer.isBuffer(body);
  const defaultType = operation.path.startsWith('/api/json') ? 'application/vnd.api+json' : 'application/json';
  const options: InjectOptions = {
    method: operation.method as NonNullable<InjectOptions['method']>,
    url: `${fill(operation.path, request.params)}${request.query === undefined ? '' : `?${request.query}`}`,
    headers: {
      ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': defaultType }),
      ...request.headers,
    },
    ...(body === undefined ? {} : { payload: isBuffer || typeof body === 'string' ? body : JSON.stringify(body) }),
  };
  const response = await app.inject(options);
  const contentType = String(response.headers['content-type'] ?? '');
  const raw = response.rawPayload;
  const text = raw.toString('utf8');
  const answer: Answer = {
    status: response.statusCode,
    headers: response.headers,
    contentType,
    raw,
    text,
    body: essence(contentType).endsWith('json') && text !== '' ? JSON.parse(text) : undefined,
  };
  expectDocumented(operationId, answer);
  return answer;
}

/** Error codes of a JSON:API error document. */
export const codesOf = (answer: Answer): string[] => (answer.body?.errors ?? []).map((e: { code: string }) => e.code);

const run = promisify(execFile);

/** `tsx codegen/cli.ts ...args` in the project: its exit code and output. */
export async function runCodegen(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(path.join(projectRoot, 'node_modules/.bin/tsx'), ['codegen/cli.ts', ...args], { cwd: projectRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}
