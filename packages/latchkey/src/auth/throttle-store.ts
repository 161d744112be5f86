import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { createMemoryLimiter } from './memory-limiter.js';

/**
 * One counter of a `ThrottleStore`: `points` per key in a fixed window.
 *
 * @example
 * const signups = store.limiter({ name: 'signup-address', points: 20, durationSeconds: 3600 });
 */
export interface LimiterOptions {
  /** Names the counter; keys of different counters never meet. */
  name: string;
  /** Points a key may use in `durationSeconds`. */
  points: number;
  /** Whole seconds: Redis expiries are set in seconds. */
  durationSeconds: number;
}

/**
 * A counter's state: points used in its window, and how long until the window (or a block) ends.
 *
 * @example
 * const state = await limiter.get(key); // { consumedPoints: 3, msBeforeNext: 41_000 } or null
 */
export interface LimiterState {
  consumedPoints: number;
  msBeforeNext: number;
}

/**
 * The part of a rate-limiter-flexible limiter that throttling uses. `consume` rejects with a
 * `RateLimiterRes` once a key has used its points. Any rate-limiter-flexible limiter is one.
 *
 * @example
 * const store: ThrottleStore = { limiter: ({ name, points, durationSeconds }) => new RateLimiterMemcache({ storeClient, keyPrefix: name, points, duration: durationSeconds }) };
 */
export interface Limiter {
  get(key: string): Promise<LimiterState | null>;
  consume(key: string): Promise<LimiterState>;
  /** One point more, never refused. */
  penalty(key: string): Promise<LimiterState>;
  /** One point back. */
  reward(key: string): Promise<LimiterState>;
  /** Holds the key past its points for `seconds`. */
  block(key: string, seconds: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/**
 * Where throttling counters live: one process's memory, or Redis shared by every node.
 *
 * @example
 * const counters: ThrottleStore = redis ? createRedisThrottleStore(redis, 'myapp') : createMemoryThrottleStore();
 */
export interface ThrottleStore {
  limiter(options: LimiterOptions): Limiter;
}

/**
 * Counters in this process's memory: right for one node (the SQLite default). A restart forgets
 * them, which only ever lets an attacker start over at the free attempts. `now` is the clock the
 * windows and delays run on (tests move it instead of waiting).
 *
 * @example
 * const throttleStore = createMemoryThrottleStore({ now: () => clock.now });
 */
export function createMemoryThrottleStore({ now = Date.now }: { now?: () => number } = {}): ThrottleStore {
  return {
    limiter: (options) => createMemoryLimiter(options, now),
  };
}

/**
 * Counters in Redis, shared by every node behind a load balancer. Each falls back to a memory
 * counter while Redis is unreachable, so an outage neither locks everyone out nor turns
 * throttling off on a node.
 *
 * @example
 * const loginThrottle = createLoginThrottle(createRedisThrottleStore(new Redis(url), 'myapp'), config);
 */
export function createRedisThrottleStore(client: Redis, prefix: string): ThrottleStore {
  return {
    limiter: ({ name, points, durationSeconds }) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${prefix}:throttle:${name}`,
        points,
        duration: durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds }),
      }),
  };
}
