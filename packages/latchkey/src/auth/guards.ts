import type { FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors.js';
import type { UserId } from '../stores/session-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Anyone may use this route; with `requireLoginByDefault` every other route needs a login. */
    public?: boolean;
    /** This route never reads the session (static files): no cookie, no store read. */
    sessionless?: boolean;
    /** Set false on a route that must accept unsafe requests without a CSRF token. */
    csrf?: boolean;
    /** Set false on API routes: a visitor who is not logged in gets a 401, not a redirect to the login page. */
    loginRedirect?: boolean;
  }
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/**
 * Where a guard sends a visitor it refuses, when not where the plugin's options say.
 *
 * @example
 * app.get('/admin', { preHandler: requireLogin({ redirectTo: '/admin/login', message: 'Administrators only' }) }, handler);
 */
export interface GuardOptions {
  /** Where to send the visitor; `false` answers with a LatchkeyError instead. Defaults come from the plugin's options. */
  redirectTo?: string | false;
  /** The flash shown there. */
  message?: string;
}

/**
 * A preHandler that lets only logged-in users through. Others are sent to the login page with a
 * flash (and `?next=` for a GET, so they come back after logging in), or get a 401 when the
 * route says `loginRedirect: false` or no login page is configured.
 *
 * @example
 * app.get('/dashboard', { preHandler: requireLogin() }, handler);
 */
export function requireLogin(options: GuardOptions = {}): Guard {
  return async function requireLogin(request, reply) {
    if (request.user) return;
    const defaults = request.server.latchkey.options;
    const target = options.redirectTo ?? defaults.paths.login ?? false;
    if (target === false || request.routeOptions.config.loginRedirect === false) {
      throw new LatchkeyError(401, 'LOGIN_REQUIRED', 'Please log in first.');
    }
    request.session.flash(options.message ?? defaults.messages.loginRequired, 'error');
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
    return reply.redirect(`${target}${next}`);
  };
}

/**
 * A preHandler that lets through only the user who owns what the route names: `ownerOf` returns
 * the owner's id from the request (a route parameter, usually). Anyone else goes to the page
 * after login with a flash, or gets a 403 with `redirectTo: false`.
 *
 * @example
 * app.patch('/users/:id', { preHandler: requireOwner((request) => Number(request.params.id)) }, handler);
 */
export function requireOwner(ownerOf: (request: FastifyRequest) => UserId | null, options: GuardOptions = {}): Guard {
  return async function requireOwner(request, reply) {
    const userId = request.session?.userId ?? null;
    if (request.user && userId !== null && String(userId) === String(ownerOf(request))) return;
    const defaults = request.server.latchkey.options;
    const target = options.redirectTo ?? defaults.paths.afterLogin;
    if (target === false || request.routeOptions.config.loginRedirect === false) {
      throw new LatchkeyError(request.user ? 403 : 401, request.user ? 'NOT_AUTHORIZED' : 'LOGIN_REQUIRED', 'You may not do that.');
    }
    request.session.flash(options.message ?? defaults.messages.notAuthorized, 'error');
    return reply.redirect(target);
  };
}
