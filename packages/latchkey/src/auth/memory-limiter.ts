import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter, LimiterOptions } from './throttle-store.js';

interface Counter {
  points: number;
  expiresAt: number;
}

/** Expired counters are dropped every this many writes, so keys an attacker rotates through do not pile up. */
const SWEEP_EVERY_WRITES = 1000;

/**
 * rate-limiter-flexible's memory counter, on a clock of our own: its RateLimiterMemory reads
 * `Date.now()` and expires keys with timers, so tests of growing delays had to sleep through them.
 * Same semantics (a fixed window that starts at a key's first point, `block` holds a key past its
 * points), with expiry checked against `now()` when a key is read.
 */
export function createMemoryLimiter({ points, durationSeconds }: LimiterOptions, now: () => number): Limiter {
  const counters = new Map<string, Counter>();
  let writes = 0;

  const live = (key: string, time: number) => {
    const counter = counters.get(key);
    return counter && counter.expiresAt > time ? counter : undefined;
  };
  const result = (counter: Counter, time: number, first = false) =>
    new RateLimiterRes(Math.max(points - counter.points, 0), counter.expiresAt - time, counter.points, first);

  function set(key: string, value: number, seconds: number, time: number): RateLimiterRes {
    if (++writes % SWEEP_EVERY_WRITES === 0) {
      for (const [name, counter] of counters) if (counter.expiresAt <= time) counters.delete(name);
    }
    const counter = { points: value, expiresAt: time + seconds * 1000 };
    counters.set(key, counter);
    return result(counter, time, true);
  }

  function add(key: string, value: number): RateLimiterRes {
    const time = now();
    const counter = live(key, time);
    if (!counter) return set(key, value, durationSeconds, time);
    counter.points += value;
    return result(counter, time);
  }

  return {
    async get(key) {
      const time = now();
      const counter = live(key, time);
      return counter ? result(counter, time) : null;
    },
    async consume(key) {
      const res = add(key, 1);
      if (res.consumedPoints > points) throw res; // rate-limiter-flexible's way of saying no
      return res;
    },
    penalty: async (key) => add(key, 1),
    reward: async (key) => add(key, -1),
    block: async (key, seconds) => set(key, points + 1, seconds, now()),
    delete: async (key) => counters.delete(key),
  };
}
