import type { FastifyBaseLogger } from 'fastify';

export interface BackgroundWork {
  /** Runs `task` soon, apart from the request that asked; a failure is logged, never thrown. */
  run(label: string, task: () => Promise<unknown>): void;
  /** Resolves when every task started so far has finished (tests, and shutdown). */
  settled(): Promise<void>;
}

/**
 * Work a request starts but does not wait for. The "forgot password" form does all its work here,
 * once its answer has gone, so the answer takes the same time whether or not the account exists:
 * there is no work before the answer that differs.
 */
export function createBackgroundWork(log: FastifyBaseLogger): BackgroundWork {
  const running = new Set<Promise<void>>();
  return {
    run(label, task) {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .then(
          () => {},
          (error: unknown) => log.error({ err: error, task: label }, 'background task failed'),
        )
        .finally(() => running.delete(done));
      running.add(done);
    },
    async settled() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
