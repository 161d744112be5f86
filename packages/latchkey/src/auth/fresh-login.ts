import type { Session } from '../sessions/session.js';

/** Session key holding when the user last proved who they are (ms since the epoch). */
const AUTHENTICATED_AT = 'authenticatedAt';

/**
 * Records that the user just proved who they are: at login, at signup, and when they type their
 * password again. Call after `session.logIn()`, which empties the session data. (`logIn` calls it.)
 *
 * @example
 * if ((await confirmPassword(deps, request.user, password, request.ip)).outcome === 'confirmed') {
 *   markAuthenticated(request.session, Date.now());
 * }
 */
export function markAuthenticated(session: Session, now: number): void {
  session.set(AUTHENTICATED_AT, now);
}

/**
 * True when the user proved who they are within `maxAgeMs`. Dangerous acts (deleting the account)
 * ask for the password again otherwise, so a session left open on a shared computer, or stolen,
 * cannot do them (ASVS 7.5.1, 7.5.3).
 *
 * @example
 * if (!isFreshLogin(request.session, Date.now(), 10 * 60_000)) return reply.redirect('/confirm-password?next=/account/delete');
 */
export function isFreshLogin(session: Session, now: number, maxAgeMs: number): boolean {
  const at = session.get(AUTHENTICATED_AT);
  return typeof at === 'number' && at <= now && now - at <= maxAgeMs;
}
