import type { Config } from '../config/config.ts';

/** Where the database comes from (DESIGN §5): a URL, the seed's DATABASE_* parts, or the embedded server. */
export type DatabaseSource =
  | { readonly kind: 'url'; readonly connectionString: string }
  | { readonly kind: 'parts'; readonly connectionString: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

export function databaseSource(config: Config): DatabaseSource {
  if (config.DATABASE_URL !== undefined) return { kind: 'url', connectionString: config.DATABASE_URL };
  if (config.DATABASE_HOST !== undefined || config.DATABASE_NAME !== undefined) {
    const url = new URL('postgres://localhost');
    url.hostname = config.DATABASE_HOST ?? 'localhost';
    url.port = String(config.DATABASE_PORT);
    url.username = config.DATABASE_USERNAME;
    url.password = config.DATABASE_PASSWORD;
    url.pathname = `/${config.DATABASE_NAME ?? 'ai_self_sustaining_v2_dev'}`;
    return { kind: 'parts', connectionString: url.toString() };
  }
  return { kind: 'embedded', dataDir: config.DATA_DIR };
}
