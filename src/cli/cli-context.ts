import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createPasswordHasher, createSessionManager, type PasswordHasher, type SessionManager, type SessionStore } from 'latchkey';
import { type Config, ConfigError, loadConfig, redactUrl } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { createMessageRepository, type MessageRepository } from '../messages/message-repository.js';
import { sessionStoreFor } from '../session-store.js';
import { type AppThrottleStore, throttleStoreFor } from '../throttle-store.js';
import { createApiTokenRepository, type ApiTokenRepository } from '../tokens/token-repository.js';
import { createUserRepository, type User, type UserRepository } from '../users/user-repository.js';
import { CliError, withDeadline } from './cli-error.js';

/** How long the CLI waits for the database or Redis before giving up with a clear message. */
export const DEADLINE_MS = 10_000;

/** What commands work with: the server's own repositories and session store, on the same configuration. */
export interface CliServices {
  config: Config;
  database: Database;
  redis: Redis | null;
  users: UserRepository;
  messages: MessageRepository;
  tokens: ApiTokenRepository;
  store: SessionStore;
  /** Lists and ends sessions in every mode: ending one is deleting its row or record. */
  sessions: SessionManager;
  throttle: AppThrottleStore;
  passwords: PasswordHasher;
  /** The user by username (any case, as at login), or a CliError. */
  userNamed(username: string): Promise<User>;
}

/** What every command is given: the configuration, and services opened on first use and closed at exit. */
export interface CliContext {
  config(): Config;
  open(options?: { migrate?: boolean }): Promise<CliServices>;
  close(): Promise<void>;
}

/**
 * The server's configuration (environment, then `.env` in the working directory, as `npm start`
 * reads it) and, on demand, its database, Redis and session store.
 */
export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  let config: Config | undefined;
  let services: CliServices | undefined;
  const closers: (() => Promise<void>)[] = [];

  function readConfig(): Config {
    if (config) return config;
    if (existsSync('.env')) process.loadEnvFile('.env');
    try {
      config = loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(`configuration: ${error.message}`);
      throw error;
    }
    return config;
  }

  return {
    config: readConfig,
    async open({ migrate = true } = {}) {
      if (services) return services;
      const cfg = readConfig();
      const database = await withDeadline(openDatabase(cfg.databaseUrl, { migrate }), DEADLINE_MS, `the database (${redactUrl(cfg.databaseUrl)})`).catch(
        (error: unknown) => {
          throw error instanceof ConfigError ? new CliError(error.message) : error;
        },
      );
      closers.push(() => database.close());
      const redis = cfg.redisUrl ? await connectRedis(cfg.redisUrl) : null;
      if (redis) closers.push(async () => redis.disconnect());
      const store = sessionStoreFor(cfg, database, redis);
      if (migrate) await withDeadline(store.migrate?.() ?? Promise.resolve(), DEADLINE_MS, 'the session store');
      // made on first use: the user lookup is prepared at once, and a fresh database (doctor,
      // db migrate) has no users table yet
      let users: UserRepository | undefined;
      services = {
        config: cfg,
        database,
        redis,
        get users() {
          return (users ??= createUserRepository(database));
        },
        messages: createMessageRepository(database.db),
        tokens: createApiTokenRepository(database.db),
        store,
        sessions: createSessionManager(store),
        throttle: throttleStoreFor(database, redis, cfg.redisKeyPrefix, Date.now),
        passwords: createPasswordHasher({ algorithm: cfg.passwordHash, bcryptRounds: cfg.bcryptRounds }),
        async userNamed(username) {
          const found = await this.users.findByUsername(username);
          if (!found) throw new CliError(`no user named "${username}"`);
          return found.user;
        },
      };
      return services;
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => {});
      closers.length = 0;
      services = undefined;
    },
  };
}

async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: DEADLINE_MS, commandTimeout: DEADLINE_MS, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    throw new CliError(`REDIS_URL: cannot connect to ${redactUrl(url)} (${(error as Error).message})`);
  }
}
