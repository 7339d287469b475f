interface Logger {
  warn(object: object, message: string): void;
}

/**
 * Runs `task` every `intervalMs` until stopped, one run at a time (a slow run delays the next, never overlaps it). A
 * failed run (the database away) is logged and tried again next time. `stop` waits for the run in progress.
 */
export function repeat(what: string, intervalMs: number, task: () => Promise<void>, log: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const once = async (): Promise<void> => {
    try {
      await task();
    } catch (error) {
      log.warn({ error: String(error) }, `${what} failed; trying again in ${intervalMs} ms`);
    }
  };
  const timer = setInterval(() => {
    running = running.then(once);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
