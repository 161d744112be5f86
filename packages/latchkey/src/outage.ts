import type { SessionStore } from './stores/session-store.js';

/**
 * Where an outage is reported: a pino or Fastify logger fits.
 *
 * @example
 * const log: OutageLog = app.log;
 */
export interface OutageLog {
  warn(details: object, message: string): void;
}

/**
 * The state of one dependency (a store, a database, Redis), so that an outage is two log lines,
 * not one per request: one when the first call fails, one when a call succeeds again, with how
 * long it lasted and how many requests it refused.
 *
 * @example
 * try {
 *   await redis.ping();
 *   outage.succeeded();
 * } catch (error) {
 *   outage.failed(error, { refused: true });
 *   throw error;
 * }
 */
export interface OutageTracker {
  /** The dependency failed; the first failure after a good call opens the outage and logs it. */
  failed(error: unknown, options?: { refused?: boolean }): void;
  /**
   * A call succeeded; if an outage was open and nothing has failed for `settleMs`, it closes and
   * is logged with its refusals. A success amid failures (a pool with some broken connections)
   * leaves the outage open: a flapping dependency is one outage, not a line per flap.
   */
  succeeded(): void;
  /** True while an outage is open. */
  readonly down: boolean;
}

/**
 * What `createOutageTracker` takes.
 *
 * @example
 * const options: OutageTrackerOptions = { name: 'database', log: app.log };
 */
export interface OutageTrackerOptions {
  /** Names the dependency in the log lines: `session store`, `database`, `redis`. */
  name: string;
  log: OutageLog;
  /** How long without a failure before a success ends the outage. Default 1 s. */
  settleMs?: number;
  now?: () => number;
}

/**
 * Tracks one dependency's outages. Cheap on the good path (`succeeded()` is a comparison), so it
 * can be told about every call.
 *
 * @example
 * const redisOutage = createOutageTracker({ name: 'redis', log: app.log });
 * redis.on('error', (error) => redisOutage.failed(error));
 * redis.on('ready', () => redisOutage.succeeded());
 * // logs {"outage":"redis","error":"connect ECONNREFUSED …"} "redis unavailable: connect ECONNREFUSED …"
 * // then {"outage":"redis","downMs":5120,"refused":37} "redis available again after 5.1 s; 37 requests refused"
 */
export function createOutageTracker({ name, log, settleMs = 1000, now = Date.now }: OutageTrackerOptions): OutageTracker {
  let since: number | null = null;
  let lastFailure = 0;
  let lastSuccess = 0;
  let refused = 0;
  let recheck: NodeJS.Timeout | null = null;

  function end() {
    if (since === null || lastSuccess < lastFailure || now() - lastFailure < settleMs) return false;
    const downMs = Math.max(0, now() - since);
    since = null;
    const requests = refused === 1 ? '1 request' : `${refused} requests`;
    log.warn({ outage: name, downMs, refused }, `${name} available again after ${(downMs / 1000).toFixed(1)} s; ${requests} refused`);
    return true;
  }

  return {
    get down() {
      return since !== null;
    },
    failed(error, options = {}) {
      lastFailure = now();
      if (since === null) {
        since = lastFailure;
        refused = 0;
        const reason = describe(error);
        log.warn({ outage: name, error: reason }, `${name} unavailable: ${reason}`);
      }
      if (options.refused) refused += 1;
    },
    succeeded() {
      if (since === null) return;
      lastSuccess = now();
      if (end() || recheck) return;
      // a success too soon after a failure: look again once things have been quiet, so that a
      // dependency used rarely (a reconnect, one success and nothing more) still gets its line
      recheck = setTimeout(() => {
        recheck = null;
        end();
      }, settleMs);
      recheck.unref();
    },
  };
}

/** The error's message, without a stack: the line says what broke, the stack says nothing more. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || error.name;
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

const STORE_CALLS = ['get', 'create', 'update', 'delete', 'listUser', 'deleteUser', 'sweep'] as const;

/**
 * The store, reporting each call's outcome to `tracker` (the plugin watches its store this way).
 * Methods are looked up by name, so a store written as a class works too.
 */
export function watchStore(store: SessionStore, tracker: OutageTracker): SessionStore {
  const watched: Partial<SessionStore> = {};
  for (const name of STORE_CALLS) {
    const method = store[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!method) continue;
    (watched as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        const result = await method.apply(store, args);
        tracker.succeeded();
        return result;
      } catch (error) {
        tracker.failed(error);
        throw error;
      }
    };
  }
  if (store.migrate) watched.migrate = () => store.migrate!();
  return watched as SessionStore;
}
