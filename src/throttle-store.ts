import type { Redis } from 'ioredis';
import { accountThrottleKeys, createRedisThrottleStore, type ThrottleStore } from 'latchkey';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterSQLite } from 'rate-limiter-flexible';
import { sql } from 'kysely';
import type { Database } from './db/database.js';

const TABLE = 'latchkey_throttle';

/** Where login throttling counts, and how an administrator clears one account's count. */
export interface AppThrottleStore extends ThrottleStore {
  /** Forgets the failed logins of `username` from every address (`latchkey users unlock`); says how many counters went. */
  unlock(username: string): Promise<number>;
  /** Deletes counters that expired before `now`; stores that expire by themselves omit it. */
  sweep?(now: number): Promise<number>;
}

/**
 * Redis when REDIS_URL is set, else the app's own database (table `latchkey_throttle`, made by
 * migration 010_login_throttle): either way every process, and the CLI, sees the same counters, and a restart
 * forgets nothing. Each counter falls back to this process's memory while its store fails, so an
 * outage neither locks everyone out nor turns throttling off.
 */
export function throttleStoreFor(database: Database, redis: Redis | null, redisPrefix: string): AppThrottleStore {
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
  return {
    limiter({ name, points, durationSeconds }) {
      // expired rows are swept by the app (sweep below), not by a timer per counter
      const common = { tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false, keyPrefix: name, points, duration: durationSeconds };
      const insuranceLimiter = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
      return database.dialect === 'sqlite'
        ? new RateLimiterSQLite({ ...common, storeClient: database.sqlite, storeType: 'better-sqlite3', insuranceLimiter })
        : new RateLimiterPostgres({ ...common, storeClient: database.pool, storeType: 'pool', insuranceLimiter });
    },
    async unlock(username) {
      const { names, keyStart } = accountThrottleKeys(username);
      let deleted = 0;
      for (const name of names) {
        // a prefix compared whole, not LIKE: `_` in the base64url key would be a wildcard there
        const prefix = `${name}:${keyStart}`;
        const result = await sql`DELETE FROM latchkey_throttle WHERE substr(key, 1, ${prefix.length}) = ${prefix}`.execute(database.db);
        deleted += Number(result.numAffectedRows ?? 0n);
      }
      return deleted;
    },
    async sweep(now) {
      const result = await sql`DELETE FROM latchkey_throttle WHERE expire < ${now}`.execute(database.db);
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}
