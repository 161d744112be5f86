import type { Redis } from 'ioredis';
import { createPostgresSessionStore, createRedisSessionStore, createSqliteSessionStore, type SessionStore } from 'latchkey';
import type { Config } from './config.js';
import type { Database } from './db/database.js';

/** Redis when REDIS_URL is set (shared by every instance), else the app's own database. */
export function sessionStoreFor(config: Config, database: Database, redis: Redis | null): SessionStore {
  if (redis) return createRedisSessionStore(redis, { prefix: `${config.redisKeyPrefix}:` });
  return database.dialect === 'sqlite' ? createSqliteSessionStore(database.sqlite) : createPostgresSessionStore(database.pool);
}
