import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterOptions {
  /** Names the counter; keys of different counters never meet. */
  name: string;
  /** Points a key may use in `durationSeconds`. */
  points: number;
  /** Whole seconds: Redis expiries are set in seconds. */
  durationSeconds: number;
}

/**
 * Where throttling counters live: one process's memory, or Redis shared by every node.
 *
 * @example
 * const counters: ThrottleStore = redis ? createRedisThrottleStore(redis, 'myapp') : createMemoryThrottleStore();
 */
export interface ThrottleStore {
  limiter(options: LimiterOptions): RateLimiterAbstract;
}

/**
 * Counters in this process's memory: right for one node (the SQLite default). A restart forgets
 * them, which only ever lets an attacker start over at the free attempts.
 *
 * @example
 * const loginThrottle = createLoginThrottle(createMemoryThrottleStore(), config);
 */
export function createMemoryThrottleStore(): ThrottleStore {
  return {
    limiter: ({ name, points, durationSeconds }) => new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds }),
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
