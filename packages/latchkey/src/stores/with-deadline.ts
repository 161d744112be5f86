import { LatchkeyOptionsError } from '../errors.js';
import type { SessionStore } from './session-store.js';

/**
 * A store call that did not answer in time. The call may still land later; each is one atomic write.
 *
 * @example
 * await store.get(key, Date.now()).catch((error) => {
 *   if (error instanceof StoreDeadlineError) log.warn('the store is slow or hung');
 *   throw error;
 * });
 */
export class StoreDeadlineError extends Error {
  override name = 'StoreDeadlineError';
  readonly code = 'STORE_DEADLINE';
}

/**
 * What `withDeadline` takes.
 *
 * @example
 * const options: DeadlineOptions = { timeoutMs: 1500 };
 */
export interface DeadlineOptions {
  /** How long any call may take before it is given up on, in milliseconds. */
  timeoutMs: number;
}

const TIMED = ['get', 'create', 'update', 'delete', 'listUser', 'deleteUser', 'sweep'] as const;

/**
 * Wraps any SessionStore so that every call answers within `timeoutMs`: a store that hangs (a
 * stopped Redis, a network partition, a database waiting on a lock) rejects with a
 * StoreDeadlineError instead, and Latchkey answers 503 instead of keeping the request open.
 * Give the driver its own deadlines too (`commandTimeout`, `query_timeout`): they also free the
 * connection, which this wrapper cannot. `migrate()` has no deadline (it runs once, at start).
 *
 * @example
 * const store = withDeadline(createRedisSessionStore(redis), { timeoutMs: 1500 });
 */
export function withDeadline(store: SessionStore, { timeoutMs }: DeadlineOptions): SessionStore {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new LatchkeyOptionsError('withDeadline: timeoutMs must be a positive number of milliseconds');
  const timed: Partial<SessionStore> = {};
  for (const name of TIMED) {
    const method = store[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!method) continue;
    (timed as Record<string, unknown>)[name] = (...args: unknown[]) => deadline(() => method.apply(store, args), timeoutMs, name);
  }
  if (store.migrate) timed.migrate = () => store.migrate!();
  return timed as SessionStore;
}

function deadline<T>(call: () => Promise<T>, timeoutMs: number, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreDeadlineError(`the session store did not answer ${name}() within ${timeoutMs} ms`)), timeoutMs);
    const settle = <V>(finish: (value: V) => void) => (value: V) => {
      clearTimeout(timer);
      finish(value);
    };
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(settle(resolve), settle(reject));
  });
}
