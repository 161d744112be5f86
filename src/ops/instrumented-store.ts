import { performance } from 'node:perf_hooks';
import type { SessionStore } from 'latchkey';
import type { Metrics } from './metrics.js';

const OPERATIONS = ['get', 'create', 'update', 'delete', 'listUser', 'deleteUser', 'sweep'] as const;

/**
 * The store, timing every call and counting failures, created sessions and ended ones for the
 * metrics. `migrate()` passes through untimed.
 *
 * @example
 * const store = instrumentStore(withDeadline(redisStore, { timeoutMs: 1000 }), metrics);
 */
export function instrumentStore(store: SessionStore, metrics: Metrics): SessionStore {
  const instrumented: Partial<SessionStore> = {};
  for (const operation of OPERATIONS) {
    const method = store[operation] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!method) continue;
    (instrumented as Record<string, unknown>)[operation] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const result = await method.apply(store, args);
        metrics.storeCall(operation, (performance.now() - started) / 1000, false);
        if (operation === 'create') metrics.sessionCreated();
        else if (operation === 'delete') metrics.sessionsEnded('session');
        else if (operation === 'deleteUser') metrics.sessionsEnded('user');
        return result;
      } catch (error) {
        metrics.storeCall(operation, (performance.now() - started) / 1000, true);
        throw error;
      }
    };
  }
  if (store.migrate) instrumented.migrate = () => store.migrate!();
  return instrumented as SessionStore;
}
