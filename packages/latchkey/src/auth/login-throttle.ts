import { createHash } from 'node:crypto';
import { throttleAddress } from './client-address.js';
import { createThrottle } from './throttle.js';
import type { ThrottleStore } from './throttle-store.js';

/**
 * Growing delays after failed logins (ASVS 6.3.1); delays are whole seconds.
 *
 * @example
 * const config: LoginThrottleConfig = {
 *   freeFailures: 5, ipFreeFailures: 50, firstDelayMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000, ipWindowMs: 60 * 60_000,
 * };
 */
export interface LoginThrottleConfig {
  /** Wrong passwords in a row for one username from one address before the first delay. */
  freeFailures: number;
  /** Wrong passwords from one address, whatever the username (password spraying), before delays. */
  ipFreeFailures: number;
  /** The first delay; each further failure doubles it, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long failures by one username from one address are remembered (a success forgets them). */
  windowMs: number;
  /** How long failures from one address are remembered. */
  ipWindowMs: number;
}

/**
 * The answer of `LoginThrottle.attempt`: go ahead (then report how it went), or wait.
 *
 * @example
 * const attempt: LoginAttempt = await loginThrottle.attempt(username, request.ip);
 * if (attempt.allowed) await (user ? attempt.succeeded() : attempt.failed());
 */
export type LoginAttempt =
  | { allowed: true; failed(): Promise<void>; succeeded(): Promise<void> }
  | { allowed: false; retryAfterMs: number };

/**
 * Slows password guessing; made by `createLoginThrottle`.
 *
 * @example
 * const attempt = await loginThrottle.attempt(username, request.ip);
 * if (!attempt.allowed) return reply.code(429).header('retry-after', Math.ceil(attempt.retryAfterMs / 1000)).send();
 */
export interface LoginThrottle {
  /** Asks before checking a password for `username` from `ip`; a refusal checks nothing. */
  attempt(username: string, ip: string): Promise<LoginAttempt>;
}

/**
 * Two counters, so that throttling slows attackers without locking real users out:
 * - per username *and* address: wrong passwords in a row for one account from one place. An
 *   attacker elsewhere never delays the owner, and the owner's success forgets the count;
 * - per address across usernames: password spraying (one common password against many accounts)
 *   from one place. A success is not a failure, but it forgives no earlier failures either, or
 *   an attacker could wipe the count by logging into an account of their own.
 *
 * @example
 * const attempt = await loginThrottle.attempt(username, request.ip);
 * if (!attempt.allowed) return tooManyAttempts(reply, attempt.retryAfterMs);
 */
export function createLoginThrottle(store: ThrottleStore, config: LoginThrottleConfig): LoginThrottle {
  const delays = { firstDelayMs: config.firstDelayMs, maxDelayMs: config.maxDelayMs };
  const byAccount = createThrottle(store, { name: 'login-account', freeFailures: config.freeFailures, windowMs: config.windowMs, ...delays });
  const byAddress = createThrottle(store, { name: 'login-address', freeFailures: config.ipFreeFailures, windowMs: config.ipWindowMs, ...delays });

  return {
    async attempt(username, ip) {
      const address = throttleAddress(ip);
      const fromAddress = await byAddress.attempt(address);
      if (!fromAddress.allowed) return fromAddress;
      const forAccount = await byAccount.attempt(`${accountKey(username)}@${address}`);
      if (!forAccount.allowed) {
        await fromAddress.cancel();
        return forAccount;
      }
      return {
        allowed: true,
        async failed() {
          await Promise.all([forAccount.fail(), fromAddress.fail()]);
        },
        async succeeded() {
          await Promise.all([forAccount.forget(), fromAddress.cancel()]);
        },
      };
    },
  };
}

/** Usernames hashed: keys stay short whatever is typed, and the store holds no usernames. */
function accountKey(username: string): string {
  return createHash('sha256').update(username.toLowerCase()).digest('base64url').slice(0, 22);
}
