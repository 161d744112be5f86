import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import {
  type SessionCodec,
  type SessionStore,
  type SessionTimeouts,
  createCookieCodec,
  createKeyring,
  createPostgresSessionStore,
  createRedisSessionStore,
  createServerCodec,
  createSqliteSessionStore,
  cookieNames,
  encryptingSealer,
  signingSealer,
} from './sessions/index.js';
import { createCookieSessionControl, createServerSessionControl, type SessionControl } from './sessions/session-control.js';
import type { UserRepository } from './users/user-repository.js';

const REMEMBER_IDLE_MS = 7 * 86_400_000;

export interface SessionLayer {
  store: SessionStore;
  codec: SessionCodec;
  control: SessionControl;
}

/**
 * Picks the session store (Redis when REDIS_URL is set, else the database's own table) and the
 * codec of SESSION_MODE, and the matching way of ending sessions.
 */
export function createSessionLayer(options: {
  config: Config;
  database: Database;
  redis: Redis | null;
  users: UserRepository;
  now: () => number;
  store?: SessionStore;
}): SessionLayer {
  const { config, database, redis, users, now } = options;
  const store = options.store ?? (redis ? createRedisSessionStore(redis, `${config.redisKeyPrefix}:`) : databaseStore(database));
  const timeouts: SessionTimeouts = {
    idleMs: config.sessionIdleMs,
    absoluteMs: config.sessionAbsoluteMs,
    rememberIdleMs: Math.min(REMEMBER_IDLE_MS, config.sessionRememberMs),
    rememberAbsoluteMs: config.sessionRememberMs,
    touchEveryMs: Math.min(60_000, config.sessionIdleMs / 10),
  };
  const cookieName = cookieNames(config.secureCookies).session;
  if (config.sessionMode === 'server') {
    const codec = createServerCodec(store, createKeyring(config.secretKeys, 'session'), timeouts) as SessionCodec;
    return { store, codec, control: createServerSessionControl(store, codec, now) };
  }
  const sealer = config.sessionMode === 'encrypted' ? encryptingSealer(config.secretKeys) : signingSealer(createKeyring(config.secretKeys, 'session'));
  const codec = createCookieCodec(sealer, timeouts, cookieName) as SessionCodec;
  return { store, codec, control: createCookieSessionControl(users, now) };
}

function databaseStore(database: Database): SessionStore {
  return database.sqlite ? createSqliteSessionStore(database.sqlite) : createPostgresSessionStore(database.pool!);
}
