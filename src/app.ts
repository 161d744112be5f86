import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { type Config, ConfigError, redactUrl } from './config.js';
import csrf from './auth/csrf.js';
import currentUser from './auth/current-user.js';
import { createCredentials } from './auth/credentials.js';
import { requireLogin } from './auth/guards.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { createPasswordHasher } from './auth/password.js';
import { createQuota } from './auth/quota.js';
import { createMemoryThrottleStore, createRedisThrottleStore } from './auth/throttle-store.js';
import { openDatabase } from './db/database.js';
import cookieRoutes from './demo/cookie-routes.js';
import counterRoutes from './demo/counter-routes.js';
import { registerErrorPages } from './error-pages.js';
import homeRoutes from './home-routes.js';
import { createMessageRepository } from './messages/message-repository.js';
import messageRoutes from './messages/message-routes.js';
import { createSessionLayer } from './session-setup.js';
import { type SessionStore, cookieNames, createKeyring, sessionPlugin } from './sessions/index.js';
import securityHeaders from './security-headers.js';
import staticRoutes from './static-routes.js';
import accountRoutes from './users/account-routes.js';
import type { AppDeps } from './users/deps.js';
import profileRoutes from './users/profile-routes.js';
import sessionRoutes from './users/session-routes.js';
import { createUserRepository } from './users/user-repository.js';
import pagePlugin from './views/page-plugin.js';

export interface BuildOptions {
  /** Replaces the session store the database would give (tests use the memory store). */
  sessionStore?: SessionStore;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));
const BODY_LIMIT_BYTES = 64 * 1024;
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * The whole application, ready for `listen()` or, in tests, `inject()`.
 *
 * @example
 * const app = await buildApp(loadConfig());
 * await app.listen({ port: 3000 });
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // request.ip is what login throttling counts: behind a proxy, TRUST_PROXY must name it
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });
  const database = await openDatabase(config.databaseUrl);
  const redis = await redisFor(app, config).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const now = options.now ?? Date.now;
  const users = createUserRepository(database);
  const sessions = createSessionLayer({ config, database, redis, users, now, store: options.sessionStore });
  const sessionStore = sessions.store;
  const sweeper = setInterval(() => void sessionStore.sweep(now()).catch((error: unknown) => app.log.warn({ err: error }, 'session sweep failed')), SWEEP_EVERY_MS);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    await sessionStore.close();
    await database.close();
  });

  await app.register(securityHeaders, { hsts: config.secureCookies });
  await app.register(cookie);
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });

  const names = cookieNames(config.secureCookies);
  await app.register(sessionPlugin, {
    codec: sessions.codec,
    flashKeyring: createKeyring(config.secretKeys, 'flash'),
    secure: config.secureCookies,
    now,
  });
  await app.register(currentUser, { users });
  app.addHook('preHandler', requireLogin);
  await app.register(csrf, { keyring: createKeyring(config.secretKeys, 'csrf'), cookieName: names.csrf, secure: config.secureCookies });
  await app.register(pagePlugin);
  registerErrorPages(app);

  const passwords = createPasswordHasher({ algorithm: config.passwordHash, bcryptRounds: config.bcryptRounds });
  const throttleStore = redis ? createRedisThrottleStore(redis, config.redisKeyPrefix) : createMemoryThrottleStore();
  const deps: AppDeps = {
    users,
    messages: createMessageRepository(database.db),
    credentials: createCredentials(users, passwords),
    passwords,
    sessions: sessions.control,
    loginThrottle: createLoginThrottle(throttleStore, config.loginThrottle),
    signupQuota: createQuota(throttleStore, { name: 'signup-address', points: config.signupLimit.perIp, windowMs: config.signupLimit.windowMs }),
    freshLoginMs: config.freshLoginMs,
    now,
  };
  await app.register(staticRoutes, { root: PUBLIC_DIR });
  await app.register(homeRoutes);
  await app.register(accountRoutes, deps);
  await app.register(profileRoutes, deps);
  await app.register(sessionRoutes, deps);
  await app.register(messageRoutes, deps);
  await app.register(counterRoutes);
  await app.register(cookieRoutes);
  return app;
}

/**
 * One Redis connection for sessions and login counters when REDIS_URL is set. No offline queue:
 * while Redis is down, commands fail at once, so protected pages fail closed with a 503 instead
 * of hanging.
 */
async function redisFor(app: FastifyInstance, config: Config): Promise<Redis | null> {
  if (!config.redisUrl) return null;
  const client = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  client.on('error', (error: unknown) => app.log.warn({ err: error }, 'Redis unavailable'));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new ConfigError(`REDIS_URL: cannot connect to ${redactUrl(config.redisUrl)} (${(error as Error).message})`);
  }
  app.addHook('onClose', async () => {
    client.disconnect();
  });
  return client;
}

/** TRUST_PROXY=<n>: trust the n proxies nearest to us, as Fastify does for a number. */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}
