import { RateLimiterRes } from 'rate-limiter-flexible';
import type { ThrottleStore } from './throttle-store.js';

export interface ThrottlePolicy {
  /** Names the counters in the store. */
  name: string;
  /** Failed attempts allowed without any wait. */
  freeFailures: number;
  /** The wait after the last free failure; it doubles with each further failure, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long failures are remembered after the first one. */
  windowMs: number;
}

/** What an allowed attempt reports when it is done; exactly one of these should follow. */
export interface AllowedAttempt {
  allowed: true;
  /** It failed: it stays counted and, past the free failures, the next attempt must wait. */
  fail(): Promise<void>;
  /** It succeeded: every failure of the key is forgotten. */
  forget(): Promise<void>;
  /** It does not count after all (it succeeded, or was never made). */
  cancel(): Promise<void>;
}
export type Attempt = AllowedAttempt | { allowed: false; retryAfterMs: number };

export interface Throttle {
  /** Asks to make an attempt for `key`; a refusal says how long to wait. */
  attempt(key: string): Promise<Attempt>;
}

/** How long an attempt past the free ones may take before another may start (a crash frees it). */
const IN_FLIGHT_SECONDS = 30;

/**
 * Growing delays for one kind of key, on rate-limiter-flexible counters. Each attempt is counted
 * before it is made, and past the free failures only one attempt at a time may run, so a burst of
 * parallel requests gets one guess, not a hundred. A refused attempt checks nothing.
 *
 * @example
 * const attempt = await throttle.attempt(key);
 * if (!attempt.allowed) return tooManyAttempts(attempt.retryAfterMs);
 * (await check()) ? await attempt.forget() : await attempt.fail();
 */
export function createThrottle(store: ThrottleStore, policy: ThrottlePolicy): Throttle {
  const failures = store.limiter({ name: `${policy.name}:failures`, points: policy.freeFailures, durationSeconds: wholeSeconds(policy.windowMs) });
  // one point: taken by the attempt in flight, or set past it by `block` while the delay runs
  const gate = store.limiter({ name: `${policy.name}:gate`, points: 1, durationSeconds: IN_FLIGHT_SECONDS });

  function delaySeconds(count: number): number {
    const delay = policy.firstDelayMs * 2 ** Math.min(count - policy.freeFailures, 30);
    return wholeSeconds(Math.min(delay, policy.maxDelayMs));
  }

  return {
    async attempt(key) {
      const waiting = await gate.get(key);
      if (waiting && waiting.consumedPoints > 1) return refused(waiting.msBeforeNext);
      const { consumedPoints: count } = await failures.penalty(key);
      let holdsGate = false;
      if (count > policy.freeFailures) {
        try {
          await gate.consume(key);
          holdsGate = true;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          await failures.reward(key);
          return refused(rejection.msBeforeNext);
        }
      }
      return {
        allowed: true,
        async fail() {
          if (count >= policy.freeFailures) await gate.block(key, delaySeconds(count));
        },
        async forget() {
          await Promise.all([failures.delete(key), gate.delete(key)]);
        },
        async cancel() {
          await failures.reward(key);
          if (holdsGate) await gate.delete(key);
        },
      };
    },
  };
}

function refused(msBeforeNext: number): Attempt {
  return { allowed: false, retryAfterMs: Math.max(msBeforeNext, 1000) };
}

/** Redis expiries are whole seconds, and a zero would mean "never expires". */
export function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
