import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import { accountThrottleKeys, createMemoryThrottleStore, createRedisThrottleStore, type Limiter, type ThrottleStore } from 'latchkey';
import type { Database } from './db/database.js';
import { createSqlLimiter } from './sql-limiter.js';

/** Where login throttling counts, and how an administrator clears one account's count. */
export interface AppThrottleStore extends ThrottleStore {
  /** Forgets the failed logins of `username` from every address (`latchkey users unlock`); says how many counters went. */
  unlock(username: string): Promise<number>;
  /** Deletes counters that expired before `now`; stores that expire by themselves omit it. */
  sweep?(now: number): Promise<number>;
}

/**
 * Where failed logins count: Redis when REDIS_URL is set, else the app's own database (table
 * `latchkey_throttle`, made by migration 010_login_throttle): either way every process, and the
 * CLI's `users unlock`, sees the same counters, and a restart forgets nothing. While the database fails, each counter counts in this process's
 * memory instead, so an outage neither locks everyone out nor turns throttling off.
 *
 * @example
 * const throttleStore = throttleStoreFor(database, null, 'latchkey', Date.now);
 */
export function throttleStoreFor(database: Database, redis: Redis | null, redisPrefix: string, now: () => number, log?: FastifyBaseLogger): AppThrottleStore {
  if (redis) {
    return {
      ...createRedisThrottleStore(redis, redisPrefix),
      async unlock(username) {
        const { names, keyStart } = accountThrottleKeys(username);
        let deleted = 0;
        for (const name of names) {
          // keyStart is base64url and `@`: nothing in it is a glob character
          const match = `${redisPrefix}:throttle:${name}:${keyStart}*`;
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
            if (keys.length > 0) deleted += await redis.del(...keys);
            cursor = next;
          } while (cursor !== '0');
        }
        return deleted;
      },
    };
  }
  const db = database.db as Kysely<unknown>;
  const fallback = createMemoryThrottleStore({ now });
  return {
    limiter(options) {
      return withFallback(createSqlLimiter(db, options, now), fallback.limiter(options), log);
    },
    async unlock(username) {
      const { names, keyStart } = accountThrottleKeys(username);
      let deleted = 0;
      for (const name of names) {
        // a prefix compared whole, not LIKE: `_` in the base64url key would be a wildcard there
        const prefix = `${name}:${keyStart}`;
        const result = await sql`DELETE FROM latchkey_throttle WHERE substr(key, 1, ${prefix.length}) = ${prefix}`.execute(db);
        deleted += Number(result.numAffectedRows ?? 0n);
      }
      return deleted;
    },
    async sweep(time) {
      const result = await sql`DELETE FROM latchkey_throttle WHERE expire <= ${time}`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}

/** Each call on `primary`, or on `fallback` when the primary's store fails (a refusal is not a failure). */
function withFallback(primary: Limiter, fallback: Limiter, log?: FastifyBaseLogger): Limiter {
  const guarded =
    <A extends unknown[], R>(call: (limiter: Limiter, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(primary, ...args);
      } catch (error) {
        if (!(error instanceof Error)) throw error; // a RateLimiterRes: the key has used its points
        log?.warn({ err: error }, 'throttle counters unavailable: counting in memory');
        return call(fallback, ...args);
      }
    };
  return {
    get: guarded((limiter, key: string) => limiter.get(key)),
    consume: guarded((limiter, key: string) => limiter.consume(key)),
    penalty: guarded((limiter, key: string) => limiter.penalty(key)),
    reward: guarded((limiter, key: string) => limiter.reward(key)),
    block: guarded((limiter, key: string, seconds: number) => limiter.block(key, seconds)),
    delete: guarded((limiter, key: string) => limiter.delete(key)),
  };
}
