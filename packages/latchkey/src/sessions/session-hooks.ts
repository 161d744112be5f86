import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError, storeUnavailable } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import type { OutageTracker } from '../outage.js';
import { stateOf } from '../request-state.js';
import type { SessionCodec } from './codec.js';
import { SessionTooLargeError } from './cookie-codec.js';
import { decodeFlashes, encodeFlashes } from './flash-cookie.js';
import type { Keyring } from './keyring.js';
import { Session } from './session.js';

interface HookParts {
  options: ResolvedOptions;
  codec: SessionCodec;
  flashKeyring: Keyring;
  /** The CSRF secret a request made, to send in its cookie (auth/csrf.ts; not imported: auth builds on sessions). */
  csrf: { newSecret(request: FastifyRequest): string | null } | null;
  /** The session store's and the user lookup's outages: one log line each way, not one per request (the store's calls report to it themselves). */
  outages: { store: OutageTracker; users: OutageTracker };
}

/**
 * The two hooks every request passes through. `onRequest` reads the session from its cookie and
 * resolves `request.user` (one store read and one user lookup); `onSend` writes back only what
 * changed — the session, the flash cookie, a new CSRF secret — and marks the response private.
 * A store that fails is a 503, never a visitor silently treated as logged out.
 */
export function addSessionHooks(app: FastifyInstance, { options, codec, flashKeyring, csrf, outages }: HookParts): void {
  const { cookieNames: names, users, now } = options;
  const cookieOptions: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure };

  app.addHook('onRequest', async (request: FastifyRequest) => {
    // a request authenticated by an API token has its own unsaved session: no cookie is read
    if (request.routeOptions.config.sessionless || request.apiToken) return;
    const time = now();
    let loaded;
    try {
      loaded = await codec.load(request.cookies[names.session], time);
    } catch (error) {
      outages.store.failed(error, { refused: true });
      throw storeUnavailable();
    }
    const flashCookie = codec.carriesFlashes ? undefined : request.cookies[names.flash];
    const flashes = codec.carriesFlashes ? (loaded.init.flashes ?? []) : flashCookie === undefined ? [] : decodeFlashes(flashKeyring, flashCookie);
    const init = { ...loaded.init, flashes };
    const session = new Session(init, time);
    request.session = session;
    stateOf(request).codec = loaded.state;
    if (session.userId === null) return;
    let user;
    try {
      user = await users.findById(session.userId);
    } catch (error) {
      outages.users.failed(error, { refused: true });
      throw storeUnavailable();
    }
    outages.users.succeeded();
    if (user) request.user = user;
    else if (codec.userNotFound) request.session = new Session(codec.userNotFound(loaded.state, init), time);
    // a session whose user was deleted ends with it
    else session.destroy();
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.session;
    const state = stateOf(request);
    if (session) {
      reply.header('vary', 'Cookie');
      if ('codec' in state) await saveSession(request, reply, session, state.codec);
    }
    const secret = csrf?.newSecret(request);
    if (secret) reply.setCookie(names.csrf, secret, cookieOptions);
    // pages for a logged-in user, and any response that sets a cookie, are nobody else's
    if (request.user || reply.hasHeader('set-cookie')) reply.header('cache-control', 'no-store');
  });

  async function saveSession(request: FastifyRequest, reply: FastifyReply, session: Session, codecState: unknown) {
    // saved at most once: if the store fails here, the error page must not try again
    delete stateOf(request).codec;
    let cookie;
    try {
      cookie = await codec.save(session, codecState, now(), { userAgent: request.headers['user-agent'] ?? '', ip: request.ip });
    } catch (error) {
      // a refusal (too many new sessions) is the visitor's and an oversized cookie the app's: not the store's
      if (error instanceof LatchkeyError) {
        if (error.headers) reply.headers(error.headers);
        throw error;
      }
      if (error instanceof SessionTooLargeError) throw error;
      outages.store.failed(error, { refused: true });
      throw storeUnavailable();
    }
    if (cookie === null) reply.clearCookie(names.session, cookieOptions);
    else if (cookie !== undefined) {
      const maxAge = cookie.maxAgeSeconds === undefined ? {} : { maxAge: cookie.maxAgeSeconds };
      reply.setCookie(names.session, cookie.value, { ...cookieOptions, ...maxAge });
    }
    if (session.flashesDirty && !codec.carriesFlashes) {
      const pending = session.pendingFlashes;
      if (pending.length > 0) reply.setCookie(names.flash, encodeFlashes(flashKeyring, pending), cookieOptions);
      else if (request.cookies[names.flash] !== undefined) reply.clearCookie(names.flash, cookieOptions);
    }
  }
}

/** The store key of the request's session, before its response is sent; null for none. */
export function currentStoreKey(request: FastifyRequest, codec: SessionCodec): string | null {
  const state = stateOf(request);
  return 'codec' in state ? codec.storeKey(state.codec) : null;
}
