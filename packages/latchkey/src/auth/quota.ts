import { RateLimiterRes } from 'rate-limiter-flexible';
import { wholeSeconds } from './throttle.js';
import type { ThrottleStore } from './throttle-store.js';

/**
 * A fixed number of actions per key in a window; made by `createQuota`.
 *
 * @example
 * const waitMs = await signupQuota.take(request.ip);
 * if (waitMs > 0) return reply.code(429).send('Too many sign-ups from your address; try again later.');
 */
export interface Quota {
  /** Uses one of `key`'s actions: 0 when it may go ahead, else the milliseconds until it may. */
  take(key: string): Promise<number>;
}

/**
 * A fixed number of actions per key in a window (signups per address per hour), for actions
 * that cost the server work whether or not they succeed.
 *
 * @example
 * const signupQuota = createQuota(createMemoryThrottleStore(), { name: 'signup', points: 5, windowMs: 60 * 60_000 });
 */
export function createQuota(store: ThrottleStore, { name, points, windowMs }: { name: string; points: number; windowMs: number }): Quota {
  const limiter = store.limiter({ name, points, durationSeconds: wholeSeconds(windowMs) });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return Math.max(rejection.msBeforeNext, 1000);
      }
    },
  };
}
