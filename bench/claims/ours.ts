import { connection } from './http-client.ts';
import type { PhaseResult } from './stats.ts';
import { timed } from './stats.ts';

export interface BenchAgent {
  /** The agent's row id (what work_items.claimed_by holds). */
  readonly id: string;
  readonly agentId: string;
  readonly token: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `data.id` and `meta.token` of a JSON:API document. */
function documentParts(body: string): { id: string | undefined; token: string | undefined } {
  const document: unknown = JSON.parse(body);
  if (!isRecord(document)) return { id: undefined, token: undefined };
  const data = document['data'];
  const meta = document['meta'];
  const id = isRecord(data) && typeof data['id'] === 'string' ? data['id'] : undefined;
  const token = isRecord(meta) && typeof meta['token'] === 'string' ? meta['token'] : undefined;
  return { id, token };
}

/** Registers `count` agents through the API (open registration); each gets its bearer token from meta.token. */
export async function registerAgents(origin: string, count: number): Promise<BenchAgent[]> {
  const { call, close } = connection(origin);
  try {
    const agents: BenchAgent[] = [];
    for (let i = 0; i < count; i += 1) {
      const agentId = `bench-claims-agent-${i + 1}`;
      const answer = await call('POST', '/api/json/agents/register', {
        body: { data: { type: 'agent', attributes: { agent_id: agentId, capabilities: ['build', 'test', 'deploy'] } } },
      });
      const { id, token } = documentParts(answer.body);
      if (answer.status !== 201 || id === undefined || token === undefined)
        throw new Error(`register ${agentId}: ${answer.status} ${answer.body.slice(0, 300)}`);
      agents.push({ id, agentId, token });
    }
    return agents;
  } finally {
    close();
  }
}

const completion = { data: { type: 'work_item', attributes: { result: {} } } };

/**
 * Each agent, on its own keep-alive connection: claim_next (200 with the item, 204 when none is left), start, complete
 * (complete_work requires in_progress, so an item takes three requests), until claim_next answers 204.
 */
export async function runAgents(system: string, origin: string, agents: readonly BenchAgent[]): Promise<PhaseResult> {
  const claimMs: number[] = [];
  const cycleMs: number[] = [];
  const claims: { id: string; by: string }[] = [];
  const problems: string[] = [];
  const seconds = await timed(async () => {
    await Promise.all(
      agents.map(async (agent) => {
        const { call, close } = connection(origin);
        try {
          for (;;) {
            const started = performance.now();
            const claimed = await call('POST', '/api/json/work_items/claim_next', { token: agent.token });
            const tookClaim = performance.now() - started;
            if (claimed.status === 204) return;
            const id = claimed.status === 200 ? documentParts(claimed.body).id : undefined;
            if (id === undefined) {
              problems.push(`claim_next by ${agent.agentId}: ${claimed.status} ${claimed.body.slice(0, 200)}`);
              if (problems.length > 20) throw new Error(problems.join('\n'));
              continue;
            }
            claims.push({ id, by: agent.id });
            for (const [step, body] of [
              ['start', undefined],
              ['complete', completion],
            ] as const) {
              const answer = await call('PATCH', `/api/json/work_items/${id}/${step}`, { token: agent.token, body });
              if (answer.status !== 200)
                problems.push(`${step} ${id} by ${agent.agentId}: ${answer.status} ${answer.body.slice(0, 200)}`);
            }
            claimMs.push(tookClaim);
            cycleMs.push(performance.now() - started);
          }
        } finally {
          close();
        }
      }),
    );
  });
  return { system, items: cycleMs.length, seconds, claimMs, cycleMs, claims, problems };
}
