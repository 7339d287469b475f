import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Config } from '../../config/config.ts';

export interface AuthSettings {
  readonly adminToken: string;
  readonly agentRegistration: 'open' | 'admin';
  /** OTLP_INGEST_TOKENS; empty means OTLP ingest is open. */
  readonly collectorTokens: readonly string[];
  /** METRICS_TOKENS: who may scrape /metrics besides the admin. */
  readonly scraperTokens: readonly string[];
  /** Set when the admin token was generated for this development database (print it for the developer). */
  readonly generatedAdminTokenFile?: string;
}

const minimumTokenLength = 16;

const tokenList = (value: string | undefined): string[] => (value ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');

/** The development admin token: made once, kept in DATA_DIR/admin-token (mode 0600), reused on every start. */
async function developmentAdminToken(dataDir: string): Promise<{ token: string; file: string }> {
  const file = path.resolve(dataDir, 'admin-token');
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (existing.length >= minimumTokenLength) return { token: existing, file };
  const token = `ssadmin_${randomBytes(24).toString('base64url')}`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

/**
 * Credentials and who-may-register, from the configuration. Development (the embedded database) gets a generated
 * admin token and open registration; any other setup must set API_ADMIN_TOKEN and registration defaults to admin.
 */
export async function resolveAuthSettings(config: Config, options: { readonly embedded: boolean }): Promise<AuthSettings> {
  const collectorTokens = tokenList(config.OTLP_INGEST_TOKENS);
  const scraperTokens = tokenList(config.METRICS_TOKENS);
  const agentRegistration = config.AGENT_REGISTRATION ?? (options.embedded ? 'open' : 'admin');
  if (config.API_ADMIN_TOKEN !== undefined) {
    if (config.API_ADMIN_TOKEN.length < minimumTokenLength) {
      throw new ConfigError([`API_ADMIN_TOKEN=<redacted> is not allowed: expected at least ${minimumTokenLength} characters`]);
    }
    return { adminToken: config.API_ADMIN_TOKEN, agentRegistration, collectorTokens, scraperTokens };
  }
  if (!options.embedded) {
    throw new ConfigError([
      'API_ADMIN_TOKEN is required when the server uses an external database (DATABASE_URL/DATABASE_HOST); set it to a long random secret',
    ]);
  }
  const { token, file } = await developmentAdminToken(config.DATA_DIR);
  return { adminToken: token, agentRegistration, collectorTokens, scraperTokens, generatedAdminTokenFile: file };
}
