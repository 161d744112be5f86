import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http-error.js';
import type { SessionCodec } from './codec.js';
import { decodeFlashes, encodeFlashes } from './flash-cookie.js';
import type { Keyring } from './keyring.js';
import { Session } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session;
  }
}

export interface SessionPluginOptions {
  codec: SessionCodec;
  /** Signs the flash cookie. */
  flashKeyring: Keyring;
  /** `Secure` cookies with the `__Host-` prefix (production). */
  secure: boolean;
  now?: () => number;
}

const stateKey = Symbol('sessionState');
type WithState = FastifyRequest & { [stateKey]?: unknown };

/** Cookie names for a deployment: `__Host-` pins them to this exact host over HTTPS. */
export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}latchkey_session`, flash: `${prefix}latchkey_flash`, csrf: `${prefix}latchkey_csrf` };
}

/**
 * Gives every request a `request.session`: read from the cookie in `onRequest`, written back in
 * `onSend` only when something changed.
 */
const sessionPlugin: FastifyPluginAsync<SessionPluginOptions> = async (app, options) => {
  const { codec, flashKeyring, secure, now = Date.now } = options;
  const names = cookieNames(secure);
  const cookieOptions: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure };

  app.decorateRequest('session', null as unknown as Session);

  app.addHook('onRequest', async (request: WithState) => {
    if (request.routeOptions.config.sessionless) return;
    let loaded;
    try {
      loaded = await codec.load(request.cookies[names.session], now());
    } catch (error) {
      request.log.error({ err: error }, 'session store unavailable');
      throw new HttpError(503, 'SESSION_STORE_UNAVAILABLE', 'Sessions are unavailable right now. Please try again in a moment.');
    }
    const flashes = decodeFlashes(flashKeyring, request.cookies[names.flash]);
    request.session = new Session({ ...loaded.init, flashes }, now());
    request[stateKey] = loaded.state;
  });

  app.addHook('onSend', async (request: WithState, reply: FastifyReply) => {
    const session = request.session;
    if (!session) return;
    reply.header('vary', 'Cookie');
    if (!(stateKey in request)) return;
    const state = request[stateKey];
    // saved at most once: if the store fails here, the error page must not try again
    delete request[stateKey];
    let cookie;
    try {
      cookie = await codec.save(session, state, now(), { userAgent: request.headers['user-agent'] ?? '', ip: request.ip });
    } catch (error) {
      request.log.error({ err: error }, 'session store unavailable');
      throw new HttpError(503, 'SESSION_STORE_UNAVAILABLE', 'Sessions are unavailable right now. Please try again in a moment.');
    }
    if (cookie === null) reply.clearCookie(names.session, cookieOptions);
    else if (cookie !== undefined) {
      const maxAge = cookie.maxAgeSeconds === undefined ? {} : { maxAge: cookie.maxAgeSeconds };
      reply.setCookie(names.session, cookie.value, { ...cookieOptions, ...maxAge });
    }
    if (session.flashesDirty) {
      const pending = session.pendingFlashes;
      if (pending.length > 0) reply.setCookie(names.flash, encodeFlashes(flashKeyring, pending), cookieOptions);
      else if (request.cookies[names.flash] !== undefined) reply.clearCookie(names.flash, cookieOptions);
    }
  });
};

/** The store key of the request's session (server mode, before the response is sent); null otherwise. */
export function currentStoreKey(request: FastifyRequest, codec: SessionCodec): string | null {
  const state = (request as WithState)[stateKey];
  return state === undefined || !codec.storeKey ? null : codec.storeKey(state);
}

export default fp(sessionPlugin, { name: 'latchkey-session', dependencies: ['@fastify/cookie'] });
