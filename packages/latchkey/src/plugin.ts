/// <reference types="@fastify/cookie" preserve="true" />
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RequestApiToken } from './auth/api-tokens.js';
import { createBearerAuth } from './auth/bearer-auth.js';
import { createCsrf } from './auth/csrf.js';
import { createRequestChecks } from './auth/request-checks.js';
import { createQuota } from './auth/quota.js';
import { throttleAddress } from './auth/client-address.js';
import { type LatchkeyOptions, type LatchkeyUser, type ResolvedOptions, resolveOptions } from './options.js';
import { createOutageTracker, watchStore } from './outage.js';
import type { SessionCodec, SessionTimeouts } from './sessions/codec.js';
import { createCookieCodec } from './sessions/cookie-codec.js';
import { createFlaskCodec } from './sessions/flask-codec.js';
import { createFlaskCookieSerializer } from './sessions/flask/cookie-serializer.js';
import { createFlaskWtfTokens } from './sessions/flask/wtf-csrf.js';
import { createKeyring } from './sessions/keyring.js';
import { encryptingSealer, signingSealer } from './sessions/sealer.js';
import { createServerCodec } from './sessions/server-codec.js';
import type { Session } from './sessions/session.js';
import type { SessionStore } from './stores/session-store.js';
import { addSessionHooks, currentStoreKey } from './sessions/session-hooks.js';
import { createSessionManager, type DeviceSession, type SessionManager } from './sessions/session-manager.js';

/**
 * What `app.latchkey` offers once the plugin is registered.
 *
 * @example
 * app.post('/sessions/end-others', async (request, reply) => {
 *   await app.latchkey.endMyOtherSessions(request);
 *   return reply.redirect('/sessions');
 * });
 */
export interface LatchkeyDecorator {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedOptions;
  /** List and end any user's sessions (an admin, a password reset). */
  readonly sessions: SessionManager;
  /** The sessions of the request's user, the request's own marked `current`. */
  listMySessions(request: FastifyRequest): Promise<DeviceSession[]>;
  /** Ends every session of the request's user but the request's own ("log out everywhere else", a new password). */
  endMyOtherSessions(request: FastifyRequest): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    latchkey: LatchkeyDecorator;
  }
  interface FastifyRequest {
    /** The visitor's session, read from its cookie; changes are saved when the response is sent. */
    session: Session;
    /** The logged-in user, resolved once per request from the session; null for visitors. */
    user: LatchkeyUser | null;
    /** The token for a form's hidden `csrf_token` field or an `X-CSRF-Token` header. */
    csrfToken(): string;
    /** The API token that authenticated this request (option `apiTokens`); null for cookie sessions. */
    apiToken: RequestApiToken | null;
  }
}

const latchkeyPlugin: FastifyPluginAsync<LatchkeyOptions> = async (app, rawOptions) => {
  const options = resolveOptions(rawOptions);
  const { secrets, now } = options;
  if (!app.hasPlugin('@fastify/cookie')) await app.register(cookie);
  await options.store.migrate?.();
  // an outage is one log line when it starts and one when it ends, not one per refused request
  const outages = {
    store: createOutageTracker({ name: 'session store', log: app.log }),
    users: createOutageTracker({ name: 'user lookup', log: app.log }),
  };
  const store = watchStore(options.store, outages.store);

  const codec = createCodec(options, store);
  const csrf = options.csrf ? createCsrf(createKeyring(secrets, 'csrf'), options.cookieNames.csrf, { alsoAccept: flaskFormTokens(options) }) : null;
  const sessions = createSessionManager(store, now);

  app.decorate('latchkey', {
    options,
    sessions,
    async listMySessions(request: FastifyRequest) {
      const userId = request.session.userId;
      return userId === null ? [] : sessions.list(userId, currentStoreKey(request, codec));
    },
    async endMyOtherSessions(request: FastifyRequest) {
      const userId = request.session.userId;
      if (userId !== null) await sessions.endAll(userId, currentStoreKey(request, codec) ?? '');
    },
  });
  app.decorateRequest('session', null as unknown as Session);
  app.decorateRequest('user', null);
  app.decorateRequest('apiToken', null);
  app.decorateRequest('csrfToken', function (this: FastifyRequest) {
    if (!csrf) throw new Error('csrfToken(): CSRF protection is off (option csrf: false)');
    return csrf.token(this);
  });

  if (options.apiTokens) app.addHook('onRequest', createBearerAuth(options.apiTokens, options.users, now));
  addSessionHooks(app, { options, codec, flashKeyring: createKeyring(secrets, 'flash'), csrf, outages });
  if (options.requireLoginByDefault || csrf) app.addHook('preHandler', createRequestChecks({ loginByDefault: options.requireLoginByDefault, csrf }));

  if (options.sweepEveryMs !== false && store.sweep) {
    const sweep = store.sweep.bind(store);
    const sweeper = setInterval(() => void sweep(now()).catch((error: unknown) => app.log.warn({ err: error }, 'session sweep failed')), options.sweepEveryMs);
    sweeper.unref();
    app.addHook('onClose', async () => clearInterval(sweeper));
  }
};

function createCodec(options: ResolvedOptions, store: SessionStore): SessionCodec {
  const { idleMs, absoluteMs, rememberMs, rememberIdleMs, touchEveryMs } = options.timeouts;
  const timeouts: SessionTimeouts = { idleMs, absoluteMs, rememberIdleMs, rememberAbsoluteMs: rememberMs, touchEveryMs };
  if (options.mode === 'server') {
    const { perAddress, windowMs, idleMs: anonymousIdleMs, throttleStore } = options.anonymousSessions;
    // visitors who are not logged in get few new sessions per address, kept briefly: a flood of
    // cookieless requests cannot fill the disk or Redis
    const quota = createQuota(throttleStore, { name: 'anonymous-sessions', points: perAddress, windowMs });
    const admit = (ip: string) => quota.take(throttleAddress(ip));
    return createServerCodec(store, createKeyring(options.secrets, 'session'), { ...timeouts, anonymousIdleMs }, admit) as SessionCodec;
  }
  if (options.flask) {
    const { secretKeys, maxAgeSeconds, userIdKey, adoptLogins } = options.flask;
    // Latchkey sees no visit to the Flask app, so the idle limit is Flask's own lifetime; the absolute limits stand
    const idle = maxAgeSeconds * 1000;
    return createFlaskCodec({
      serializer: createFlaskCookieSerializer({ secretKeys, maxAgeSeconds }),
      store,
      timeouts: { ...timeouts, idleMs: idle, rememberIdleMs: idle },
      cookieName: options.cookieNames.session,
      maxAgeSeconds,
      userIdKey,
      adoptLogins,
    }) as SessionCodec;
  }
  const sealer = options.mode === 'encrypted' ? encryptingSealer(options.secrets) : signingSealer(createKeyring(options.secrets, 'session'));
  return createCookieCodec(sealer, store, timeouts, options.cookieNames.session) as SessionCodec;
}

/**
 * Flask mode: Flask-WTF's token, checked as Flask-WTF checks it (signed with SECRET_KEY, under an
 * hour old, equal to the session's `csrf_token`), so the Flask app's forms still work once the
 * path they post to is Latchkey's. Flask-WTF never uses SECRET_KEY_FALLBACKS, nor does this.
 */
function flaskFormTokens(options: ResolvedOptions): ((request: FastifyRequest, token: string) => boolean) | undefined {
  if (!options.flask) return undefined;
  const tokens = createFlaskWtfTokens({ secretKey: options.flask.secretKeys[0]! });
  return (request, token) => {
    const sessionToken = request.session?.get('csrf_token');
    return typeof sessionToken === 'string' && tokens.verify(token, sessionToken, options.now());
  };
}

/**
 * Sessions, the current user, flash messages, CSRF protection and login guards for a Fastify
 * app, in one registration. Options are checked here; a mistake throws, naming the option.
 * Also the package's default export.
 *
 * @example
 * await app.register(latchkey, {
 *   secrets: [process.env.SECRET_KEY],
 *   store: createSqliteSessionStore(db),
 *   users: { findById: (id) => users.findById(Number(id)) },
 * });
 */
export const latchkey = fp(latchkeyPlugin, { name: 'latchkey', fastify: '5.x' });
