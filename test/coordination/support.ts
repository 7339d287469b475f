import type { FastifyInstance } from 'fastify';

/** A coordination API answer: status, the envelope, and the headers that matter here. */
export interface Answer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted on field by field
  readonly body: any;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
}

/** Calls /api/coordination on an in-process app (inject) or a started server (fetch, when `target` is a base URL). */
export async function call(
  target: FastifyInstance | string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { readonly token?: string; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...options.headers,
  };
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (typeof target === 'string') {
    const response = await fetch(`${target}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: Object.fromEntries(response.headers) };
  }
  const response = await target.inject({ method, url: path, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: response.statusCode, body: response.body === '' ? undefined : response.json(), headers: response.headers };
}

/** Registers an agent (open registration) and returns its agent_id and bearer token. */
export async function registerAgent(target: FastifyInstance | string, agentId: string, extra: Record<string, unknown> = {}): Promise<{ agentId: string; token: string; id: string }> {
  const answer = await call(target, 'POST', '/api/coordination/agents/register', { body: { agent_id: agentId, ...extra } });
  if (answer.status !== 201) throw new Error(`register ${agentId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { agentId, token: answer.body.data.token, id: answer.body.data.id };
}

/** Submits a work item as `token`'s agent; returns its work_item_id and uuid. */
export async function submitWork(target: FastifyInstance | string, token: string, body: Record<string, unknown>): Promise<{ workItemId: string; id: string }> {
  const answer = await call(target, 'POST', '/api/coordination/work_items', { token, body });
  if (answer.status !== 201) throw new Error(`submit: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { workItemId: answer.body.data.work_item_id, id: answer.body.data.id };
}
