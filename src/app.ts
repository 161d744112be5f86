import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import {
  createCredentials,
  createLoginThrottle,
  createMemoryThrottleStore,
  createOutageTracker,
  createRedisThrottleStore,
  createPasswordHasher,
  createQuota,
  latchkey,
  type SessionStore,
  withDeadline,
} from 'latchkey';
import apiPlugin from './api/api-plugin.js';
import type { Config } from './config.js';
import { isDatabaseFault } from './db/connection-faults.js';
import { openDatabase } from './db/database.js';
import { moveLegacySessions } from './db/legacy-sessions.js';
import type { AppDeps } from './deps.js';
import cookieRoutes from './demo/cookie-routes.js';
import counterRoutes from './demo/counter-routes.js';
import { registerErrorPages } from './error-pages.js';
import homeRoutes from './home-routes.js';
import { createMessageRepository } from './messages/message-repository.js';
import { type MailOptions, setUpAccountMail } from './recovery/account-mail.js';
import { requestLogFields } from './recovery/token-paths.js';
import messageRoutes from './messages/message-routes.js';
import healthRoutes, { type ReadinessCheck } from './ops/health-routes.js';
import { AccessLog } from './ops/access-log.js';
import { instrumentStore } from './ops/instrumented-store.js';
import { createMetrics } from './ops/metrics.js';
import metricsRoutes from './ops/metrics-routes.js';
import { securityEventSink } from './ops/security-events.js';
import shutdownPlugin from './ops/shutdown.js';
import { connectRedis, isRedisFault } from './redis.js';
import securityHeaders from './security-headers.js';
import { sessionStoreFor } from './session-store.js';
import staticRoutes from './static-routes.js';
import { throttleStoreFor } from './throttle-store.js';
import { createApiTokenRepository } from './tokens/token-repository.js';
import tokenRoutes from './tokens/token-routes.js';
import accountRoutes from './users/account-routes.js';
import profileRoutes from './users/profile-routes.js';
import sessionRoutes from './users/session-routes.js';
import { createUserRepository, type User } from './users/user-repository.js';
import pagePlugin from './views/page-plugin.js';

declare module 'latchkey' {
  interface LatchkeyUser extends User {}
}

export interface BuildOptions {
  /** Replaces the session store the database would give (tests use the memory store). */
  sessionStore?: SessionStore;
  /** The clock, for tests of expiry. */
  now?: () => number;
  /** Mail delivery's deadlines and retry waits (tests shorten them). */
  mail?: MailOptions;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
}

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));
const BODY_LIMIT_BYTES = 64 * 1024;
const THROTTLE_SWEEP_MS = 10 * 60_000;

/**
 * The whole application, ready for `listen()` or, in tests, `inject()`.
 *
 * @example
 * const app = await buildApp(loadConfig());
 * await app.listen({ port: 3000 });
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // reset links carry their token in the path: request log lines show `[token]` instead
    logger: { level: config.logLevel, serializers: { req: requestLogFields }, ...(options.logStream ? { stream: options.logStream } : {}) },
    logController: new AccessLog({ on: config.accessLog }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // request.ip is what login throttling counts: behind a proxy, TRUST_PROXY must name it
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });
  // each dependency's outage is one log line when it starts and one when it ends
  const outages = {
    database: createOutageTracker({ name: 'database', log: app.log }),
    redis: createOutageTracker({ name: 'redis', log: app.log }),
  };
  const database = await openDatabase(config.databaseUrl, { timeoutMs: config.databaseTimeoutMs, outage: outages.database });
  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = await connectRedis({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs, outage: outages.redis }).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
  }
  app.addHook('onClose', async () => {
    redis?.disconnect();
    await database.close();
  });
  const now = options.now ?? Date.now;
  const users = createUserRepository(database);
  const tokens = createApiTokenRepository(database.db);
  const metrics = config.metricsToken ? createMetrics() : null;
  // whatever the store, no request waits on it longer than its service's deadline
  const deadlined = withDeadline(options.sessionStore ?? sessionStoreFor(config, database, redis), {
    timeoutMs: redis ? config.redisTimeoutMs : config.databaseTimeoutMs,
  });
  const store = metrics ? instrumentStore(deadlined, metrics) : deadlined;
  if (!options.sessionStore) {
    await store.migrate?.();
    const moved = await moveLegacySessions(database, { copy: !redis });
    if (moved > 0) app.log.info(`moved ${moved} sessions into the latchkey_sessions table`);
  }

  const throttleStore = redis ? createRedisThrottleStore(redis, config.redisKeyPrefix) : createMemoryThrottleStore({ now });
  // failed logins count where every process and `latchkey users unlock` see them: Redis, or the database
  const loginCounters = throttleStoreFor(database, redis, config.redisKeyPrefix, now, app.log);
  sweepEvery(app, THROTTLE_SWEEP_MS, () => loginCounters.sweep?.(now()));
  await app.register(shutdownPlugin);
  if (metrics && config.metricsToken) await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  const readiness: ReadinessCheck[] = [{ name: 'database', ping: () => database.ping(), outage: outages.database }];
  if (redis) readiness.push({ name: 'redis', ping: async () => void (await redis.ping()), outage: outages.redis });
  await app.register(healthRoutes, { checks: readiness, timeoutMs: Math.max(config.databaseTimeoutMs, config.redisTimeoutMs), draining: () => app.draining });
  await app.register(securityHeaders, { hsts: config.secureCookies });
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(latchkey, {
    secrets: config.secretKeys,
    mode: config.sessionMode,
    ...(config.flask
      ? {
          flask: {
            secretKey: config.flask.secretKey,
            fallbacks: config.flask.fallbacks,
            maxAgeSeconds: config.flask.maxAgeSeconds,
            adoptLogins: config.flask.adoptLogins,
            userIdKey: config.flask.userIdKey,
          },
          cookieNames: { session: config.flask.cookieName },
        }
      : {}),
    store,
    users,
    apiTokens: tokens,
    secure: config.secureCookies,
    timeouts: {
      idleMs: config.sessionIdleMs,
      absoluteMs: config.sessionAbsoluteMs,
      rememberMs: config.sessionRememberMs,
    },
    anonymousSessions: { perAddress: config.anonymousSessions.perMinute, windowMs: 60_000, idleMs: config.anonymousSessions.idleMs, throttleStore },
    onEvent: securityEventSink(metrics),
    now,
  });
  await app.register(pagePlugin);
  registerErrorPages(app, {
    isOutage(error) {
      const outage = isDatabaseFault(error) ? outages.database : isRedisFault(error) ? outages.redis : null;
      outage?.failed(error, { refused: true });
      return outage !== null;
    },
  });

  const passwords = createPasswordHasher({ algorithm: config.passwordHash, bcryptRounds: config.bcryptRounds });
  const recovery = await setUpAccountMail(app, { config, database, users, passwords, throttleStore, now, options: options.mail });
  const deps: AppDeps = {
    users,
    messages: createMessageRepository(database.db),
    tokens,
    credentials: createCredentials(users, passwords),
    passwords,
    loginThrottle: createLoginThrottle(loginCounters, config.loginThrottle),
    signupQuota: createQuota(throttleStore, { name: 'signup-address', points: config.signupLimit.perIp, windowMs: config.signupLimit.windowMs }),
    freshLoginMs: config.freshLoginMs,
    recovery,
    now,
  };
  await app.register(staticRoutes, { root: PUBLIC_DIR });
  await app.register(homeRoutes);
  await app.register(accountRoutes, deps);
  await app.register(profileRoutes, deps);
  await app.register(sessionRoutes, deps);
  await app.register(tokenRoutes, deps);
  await app.register(messageRoutes, deps);
  await app.register(counterRoutes);
  await app.register(cookieRoutes);
  await app.register(apiPlugin, { prefix: '/api', ...deps });
  return app;
}

/** Runs `work` every `ms` in the background (a failure is one log line) until the app closes. */
function sweepEvery(app: FastifyInstance, ms: number, work: () => Promise<unknown> | undefined): void {
  const timer = setInterval(() => void work()?.catch((error: unknown) => app.log.warn({ err: error }, 'sweep failed')), ms);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

/** TRUST_PROXY=<n>: trust the n proxies nearest to us, as Fastify does for a number. */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}
