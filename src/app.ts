import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import csrf from './auth/csrf.js';
import currentUser from './auth/current-user.js';
import { createCredentials } from './auth/credentials.js';
import { requireLogin } from './auth/guards.js';
import { openDatabase, type Database } from './db/database.js';
import cookieRoutes from './demo/cookie-routes.js';
import counterRoutes from './demo/counter-routes.js';
import { registerErrorPages } from './error-pages.js';
import homeRoutes from './home-routes.js';
import { createMessageRepository } from './messages/message-repository.js';
import messageRoutes from './messages/message-routes.js';
import {
  type SessionCodec,
  type SessionStore,
  type SessionTimeouts,
  cookieNames,
  createKeyring,
  createPostgresSessionStore,
  createServerCodec,
  createSignedCodec,
  createSqliteSessionStore,
  sessionPlugin,
} from './sessions/index.js';
import staticRoutes from './static-routes.js';
import accountRoutes from './users/account-routes.js';
import type { AppDeps } from './users/deps.js';
import profileRoutes from './users/profile-routes.js';
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
  });
  const database = await openDatabase(config.databaseUrl);
  const sessionStore = options.sessionStore ?? storeFor(database);
  const now = options.now ?? Date.now;
  const sweeper = setInterval(() => void sessionStore.sweep(now()).catch((error: unknown) => app.log.warn({ err: error }, 'session sweep failed')), SWEEP_EVERY_MS);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    await sessionStore.close();
    await database.close();
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: config.secureCookies,
  });
  await app.register(cookie);
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });

  const names = cookieNames(config.secureCookies);
  await app.register(sessionPlugin, {
    codec: codecFor(config, sessionStore),
    flashKeyring: createKeyring(config.secretKeys, 'flash'),
    secure: config.secureCookies,
    now,
  });
  const users = createUserRepository(database.db);
  await app.register(currentUser, { users });
  app.addHook('preHandler', requireLogin);
  await app.register(csrf, { keyring: createKeyring(config.secretKeys, 'csrf'), cookieName: names.csrf, secure: config.secureCookies });
  await app.register(pagePlugin);
  registerErrorPages(app);

  const deps: AppDeps = {
    users,
    messages: createMessageRepository(database.db),
    credentials: createCredentials(users, config.bcryptRounds),
    bcryptRounds: config.bcryptRounds,
    endUserSessions: (userId) => sessionStore.destroyUser(userId),
  };
  await app.register(staticRoutes, { root: PUBLIC_DIR });
  await app.register(homeRoutes);
  await app.register(accountRoutes, deps);
  await app.register(profileRoutes, deps);
  await app.register(messageRoutes, deps);
  await app.register(counterRoutes);
  await app.register(cookieRoutes);
  return app;
}

function storeFor(database: Database): SessionStore {
  if (database.sqlite) return createSqliteSessionStore(database.sqlite);
  return createPostgresSessionStore(database.pool!);
}

function codecFor(config: Config, store: SessionStore): SessionCodec {
  const timeouts: SessionTimeouts = {
    idleMs: config.sessionIdleMs,
    absoluteMs: config.sessionAbsoluteMs,
    touchEveryMs: Math.min(60_000, config.sessionIdleMs / 10),
  };
  const keyring = createKeyring(config.secretKeys, 'session');
  const codec = config.sessionMode === 'signed' ? createSignedCodec(keyring, timeouts) : createServerCodec(store, keyring, timeouts);
  return codec as SessionCodec;
}
