import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors.js';
import { stateOf } from '../request-state.js';
import type { Keyring } from '../sessions/keyring.js';

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const refused = (why: string) =>
  new LatchkeyError(403, 'CSRF_REFUSED', `This form could not be accepted (${why}). Go back, reload the page and try again.`);

/**
 * CSRF defence in two layers: browsers' Fetch Metadata and Origin headers refuse cross-site
 * requests outright, and every unsafe request must carry a token. The token is an HMAC of a
 * random secret kept in an HttpOnly cookie (so anonymous forms need no server-side session) and,
 * once someone is logged in, of their session's handle too: a token minted for another session,
 * with a cookie planted beside the victim's, is refused (OWASP's signed double-submit).
 * `alsoAccept` admits another kind of token after the same cross-site checks (flask mode: Flask-WTF's).
 */
export function createCsrf(keyring: Keyring, cookieName: string, { alsoAccept }: { alsoAccept?: (request: FastifyRequest, token: string) => boolean } = {}) {
  function secret(request: FastifyRequest): string {
    const state = stateOf(request);
    if (state.csrfSecret === undefined) {
      const cookie = request.cookies[cookieName];
      state.csrfSecret = cookie && SECRET_PATTERN.test(cookie) ? cookie : null;
    }
    if (state.csrfSecret === null) rotateCsrfSecret(request);
    return state.csrfSecret!;
  }

  const binding = (request: FastifyRequest, secretValue: string) => {
    const session = request.session;
    return session && session.userId !== null ? `${secretValue}.${session.handle ?? ''}` : secretValue;
  };

  return {
    /** The token for a form's hidden `csrf_token` field (or an `X-CSRF-Token` header). */
    token: (request: FastifyRequest) => keyring.mac(binding(request, secret(request))),

    /** Refuses an unsafe request that came from another site or lacks a valid token. */
    verify(request: FastifyRequest): void {
      if (isCrossSite(request)) throw refused('it came from another site');
      const cookie = request.cookies[cookieName];
      const body = request.body as Record<string, unknown> | undefined;
      const token = body?.csrf_token ?? request.headers['x-csrf-token'];
      if (typeof token === 'string' && cookie && SECRET_PATTERN.test(cookie) && keyring.verifyMac(binding(request, cookie), token)) return;
      // flask mode: a form the Flask app rendered, posted to a path Latchkey serves now
      if (typeof token === 'string' && alsoAccept?.(request, token)) return;
      throw refused('its security token is missing or expired');
    },

    /** The secret to send in the CSRF cookie, when this request made one. */
    newSecret: (request: FastifyRequest) => (stateOf(request).csrfSecretIsNew ? stateOf(request).csrfSecret! : null),
  };
}

export type Csrf = ReturnType<typeof createCsrf>;

/**
 * Fetch Metadata first: every current browser sends `Sec-Fetch-Site`, and it stays right where
 * `Origin` is `null` (a same-origin form under a no-referrer policy). Without it, the `Origin`
 * header must name this host.
 */
function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'cross-site';
  const origin = request.headers.origin;
  return origin !== undefined && originHost(origin) !== originHost(`${request.protocol}://${request.host}`);
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // `Origin: null` (sandboxed frames, some redirects) names no site of ours
  }
}

/** A fresh CSRF secret for this visitor, e.g. at login, so a token seen before login is worthless after. */
export function rotateCsrfSecret(request: FastifyRequest): void {
  const state = stateOf(request);
  state.csrfSecret = randomBytes(32).toString('base64url');
  state.csrfSecretIsNew = true;
}
