import type { FastifyRequest } from 'fastify';
import { logOut, securityEvent } from 'latchkey';

/** True when the request's session is logged in as `userId`. */
// a session's user id may come back as text (cookie modes, Flask's cookie): compare as text
export const isSessionOf = (request: FastifyRequest, userId: number) => request.session.userId !== null && String(request.session.userId) === String(userId);

/**
 * What a request that reset a password does after `passwordReset.complete`: reports it, and logs
 * this request out if it was a session of that account (every other one has ended already).
 *
 * @example
 * if (result.outcome === 'reset') afterReset(request, result.user.id);
 */
export function afterReset(request: FastifyRequest, userId: number): void {
  securityEvent(request, 'password.changed', { userId, reason: 'reset' });
  if (isSessionOf(request, userId)) logOut(request);
}
