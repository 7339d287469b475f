import type { JsonValue } from '../../resources/define.ts';
import type { Config } from '../config/config.ts';
import type { AuthSettings } from './auth/settings.ts';

/**
 * The server settings resource files may read (`context('...')`, `contextEquals`): one object, built once from the
 * configuration, shared by every path to the actions.
 */
export function serverContext(config: Config, auth: Pick<AuthSettings, 'agentRegistration'>): Readonly<Record<string, JsonValue>> {
  return Object.freeze({
    agent_registration: auth.agentRegistration,
    max_concurrent_work: config.MAX_CONCURRENT_WORK,
    // Liveness: three missed heartbeats.
    agent_offline_after_ms: 3 * config.AGENT_HEARTBEAT_INTERVAL,
    work_claim_timeout_ms: config.WORK_CLAIM_TIMEOUT,
  });
}
