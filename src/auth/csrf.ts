import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http-error.js';
import type { Keyring } from '../sessions/keyring.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token to put in a form's hidden `csrf_token` field. */
    csrfToken(): string;
  }
  interface FastifyContextConfig {
    /** Set false on a route that must accept unsafe requests without a CSRF token. */
    csrf?: boolean;
  }
}

export interface CsrfOptions {
  keyring: Keyring;
  cookieName: string;
  secure: boolean;
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const secretOf = Symbol('csrfSecret');
const secretIsNew = Symbol('csrfSecretIsNew');
type CsrfRequest = FastifyRequest & { [secretOf]?: string | null; [secretIsNew]?: boolean };

const refused = (why: string) =>
  new HttpError(403, 'CSRF_REFUSED', `This form could not be accepted (${why}). Go back, reload the page and try again.`);

/**
 * CSRF defence in two layers: browsers' Fetch Metadata and Origin headers refuse cross-site
 * requests outright, and every unsafe request must carry a token that is an HMAC of a random
 * secret kept in an HttpOnly cookie. The secret lives in its own cookie, so anonymous forms
 * (signup, login) are protected without creating a server-side session.
 */
const csrfPlugin: FastifyPluginAsync<CsrfOptions> = async (app, { keyring, cookieName, secure }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

  function secret(request: CsrfRequest): string {
    if (request[secretOf] === undefined) {
      const cookie = request.cookies[cookieName];
      request[secretOf] = cookie && SECRET_PATTERN.test(cookie) ? cookie : null;
    }
    if (request[secretOf] === null) rotateCsrfSecret(request);
    return request[secretOf]!;
  }

  app.decorateRequest('csrfToken', function (this: FastifyRequest) {
    return keyring.mac(secret(this));
  });

  app.addHook('onSend', async (request: CsrfRequest, reply) => {
    if (request[secretIsNew]) reply.setCookie(cookieName, request[secretOf]!, cookieOptions);
  });

  app.addHook('preHandler', async (request: CsrfRequest) => {
    if (!UNSAFE.has(request.method) || request.is404 || request.routeOptions.config.csrf === false) return;
    if (isCrossSite(request)) throw refused('it came from another site');
    const cookie = request.cookies[cookieName];
    const body = request.body as Record<string, unknown> | undefined;
    const token = body?.csrf_token ?? request.headers['x-csrf-token'];
    if (!cookie || !SECRET_PATTERN.test(cookie) || typeof token !== 'string' || !keyring.verifyMac(cookie, token)) {
      throw refused('its security token is missing or expired');
    }
  });
};

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
  const csrfRequest = request as CsrfRequest;
  csrfRequest[secretOf] = randomBytes(32).toString('base64url');
  csrfRequest[secretIsNew] = true;
}

export default fp(csrfPlugin, { name: 'latchkey-csrf', dependencies: ['@fastify/cookie'] });
