import type { FastifyInstance } from 'fastify';

export interface ShutdownParts {
  readonly app: FastifyInstance;
  /** Background work (lease sweeper, event bus), stopped once requests are done and before the database closes. */
  readonly stopBackground?: () => Promise<void>;
  /** Closes the pool and stops the embedded database, if any. */
  readonly closeDatabase: () => Promise<void>;
  readonly log: { info(object: object, message: string): void; info(message: string): void };
}

/**
 * Graceful stop, in an order that keeps in-flight requests whole: stop accepting connections and wait for the
 * requests already running (app.close), only then close the pool and stop the embedded PostgreSQL.
 * Calling it again while it runs returns the same promise.
 */
export function gracefulShutdown(parts: ShutdownParts): (signal: string) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (signal) => {
    stopping ??= (async () => {
      parts.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
      await parts.app.close();
      await parts.stopBackground?.();
      await parts.closeDatabase();
      parts.log.info('stopped');
    })();
    return stopping;
  };
}
