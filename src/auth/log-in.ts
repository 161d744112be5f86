import type { FastifyRequest } from 'fastify';
import { rotateCsrfSecret } from './csrf.js';
import { markAuthenticated } from './fresh-login.js';

/**
 * Starts a logged-in session after signup or a checked password: a fresh session id (no
 * fixation), a fresh CSRF secret (a token seen before login is worthless after), and the time of
 * the login for dangerous acts that want a recent one.
 */
export function logIn(request: FastifyRequest, userId: number, now: number, { remember = false } = {}): void {
  request.session.logIn(userId, { remember });
  markAuthenticated(request.session, now);
  rotateCsrfSecret(request);
}
