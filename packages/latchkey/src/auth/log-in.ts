import type { FastifyRequest } from 'fastify';
import type { UserId } from '../stores/session-store.js';
import { rotateCsrfSecret } from './csrf.js';
import { markAuthenticated } from './fresh-login.js';

/**
 * Starts a logged-in session after a checked password: a fresh session id (no fixation), a fresh
 * CSRF secret (a token seen before login is worthless after), and the time of the login for
 * dangerous acts that want a recent one.
 *
 * @example
 * const user = await credentials.verifyCredentials(username, password);
 * if (user) logIn(request, user.id, { remember: true });
 */
export function logIn(request: FastifyRequest, userId: UserId, { remember = false } = {}): void {
  request.session.logIn(userId, { remember });
  markAuthenticated(request.session, request.server.latchkey.options.now());
  rotateCsrfSecret(request);
}

/**
 * Ends the request's session: its id (or, in cookie modes, its login record) never works again,
 * even from a copy of the cookie. The user's other sessions stay. Flashes survive, so a
 * "signed out" message can follow.
 *
 * @example
 * app.post('/logout', async (request, reply) => {
 *   logOut(request);
 *   request.session.flash('You have been signed out.', 'success');
 *   return reply.redirect('/login');
 * });
 */
export function logOut(request: FastifyRequest): void {
  request.session.destroy();
  request.user = null;
}
