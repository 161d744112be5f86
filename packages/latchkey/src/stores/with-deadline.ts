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
  const watch = createDeadlineWatch(timeoutMs);
  const timed: Partial<SessionStore> = {};
  for (const name of TIMED) {
    const method = store[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!method) continue;
    (timed as Record<string, unknown>)[name] = (...args: unknown[]) => watch.run(() => method.apply(store, args), name);
  }
  if (store.migrate) timed.migrate = () => store.migrate!();
  return timed as SessionStore;
}

interface Pending {
  readonly due: number;
  readonly name: string;
  /** Null once the call has been answered, by the store or by its deadline. */
  expire: (() => void) | null;
}

/**
 * Deadlines for calls that all get the same time: their deadlines come in the order the calls
 * started, so one timer, for the oldest call in flight, serves them all. A timer per call (set,
 * then cleared microseconds later by a store that answered) measured as a visible share of a
 * request's CPU.
 */
function createDeadlineWatch(timeoutMs: number) {
  const queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  let armedFor: Pending | null = null;

  function onTimer(): void {
    const oldest = armedFor!;
    timer = null;
    armedFor = null;
    // the timer was set for this call's deadline; the later ones go by the clock
    oldest.expire?.();
    const now = performance.now();
    while (queue.length > 0 && (queue[0]!.expire === null || queue[0]!.due <= now)) queue.shift()!.expire?.();
    arm();
  }

  function arm(): void {
    // answered calls at the head need no timer
    while (queue.length > 0 && queue[0]!.expire === null) queue.shift();
    if (timer === null && queue.length > 0) {
      armedFor = queue[0]!;
      timer = setTimeout(onTimer, Math.max(0, armedFor.due - performance.now()));
    }
  }

  return {
    run<T>(call: () => Promise<T>, name: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const pending: Pending = { due: performance.now() + timeoutMs, name, expire: null };
        const answer = <V>(finish: (value: V) => void) => (value: V) => {
          if (pending.expire === null) return; // too late: the deadline has answered
          pending.expire = null;
          finish(value);
        };
        pending.expire = () => answer(reject)(new StoreDeadlineError(`the session store did not answer ${name}() within ${timeoutMs} ms`));
        queue.push(pending);
        arm();
        let result: Promise<T>;
        try {
          result = call();
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(answer(resolve), answer(reject));
      });
    },
  };
}
