import type { FastifyRequest } from 'fastify';
import { confirmPassword, isFreshLogin, logOut, markAuthenticated } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { formText } from '../form-body.js';
import type { FieldErrors } from '../views/form.js';
import { USERNAME_CONFLICT_ERRORS, type UserFormValues, validateUserForm } from './user-form.js';
import type { User } from './user-repository.js';

/**
 * The rules of accounts, one function per act, called by the HTML routes and the JSON API alike
 * (and the CLI where it can): routes only read input and render the outcome.
 */

type Throttled = { outcome: 'throttled'; retryAfterMs: number };
export type Invalid = { outcome: 'invalid'; status: 403 | 409 | 422; values: UserFormValues; errors: FieldErrors };

/** Signs a new user up from `username`, `password`, `first_name`, `last_name`; the caller logs them in. */
export async function signUp(deps: AppDeps, body: unknown, ip: string): Promise<{ outcome: 'created'; user: User } | Invalid | Throttled> {
  const { values, errors, ok } = validateUserForm(body);
  if (!ok) return { outcome: 'invalid', status: 422, values, errors };
  // counted once the form is valid: each such signup costs a password hash, and probes a username
  const retryAfterMs = await deps.signupQuota.take(ip);
  if (retryAfterMs > 0) return { outcome: 'throttled', retryAfterMs };
  const passwordHash = await deps.passwords.hash(values.password);
  const created = await deps.users.create({ ...values, passwordHash });
  if ('user' in created) return { outcome: 'created', user: created.user };
  return { outcome: 'invalid', status: 409, values, errors: { username: USERNAME_CONFLICT_ERRORS[created.conflict] } };
}

/**
 * Checks a username and password through the login throttle: an unknown name and a wrong password
 * answer alike. The caller logs the user in.
 */
export async function checkLogin(deps: AppDeps, username: string, password: string, ip: string): Promise<{ outcome: 'ok'; user: User } | { outcome: 'wrong' } | Throttled> {
  const attempt = await deps.loginThrottle.attempt(username, ip);
  if (!attempt.allowed) return { outcome: 'throttled', retryAfterMs: attempt.retryAfterMs };
  const user = await deps.credentials.verifyCredentials(username, password);
  if (!user) {
    await attempt.failed();
    return { outcome: 'wrong' };
  }
  await attempt.succeeded();
  return { outcome: 'ok', user };
}

/**
 * Updates the request's user from `body` (the profile form's fields; a blank or absent password
 * keeps the current one). A new password needs `current_password` (ASVS 6.2.3) and ends every
 * other session and every API token: whoever knew the old password is out.
 */
export async function updateProfile(deps: AppDeps, request: FastifyRequest, body: unknown): Promise<{ outcome: 'updated'; user: User } | { outcome: 'missing' } | Invalid | Throttled> {
  const user = request.user!;
  const { values, errors, ok } = validateUserForm(body, { passwordOptional: true });
  if (!ok) return { outcome: 'invalid', status: 422, values, errors };
  if (values.password) {
    const check = await confirmPassword(deps, user, formText(body, 'current_password'), request.ip);
    if (check.outcome === 'throttled') return check;
    if (check.outcome !== 'confirmed') {
      const error = check.outcome === 'missing' ? 'Enter your current password to set a new one.' : 'That is not your current password.';
      return { outcome: 'invalid', status: 403, values, errors: { current_password: error } };
    }
    markAuthenticated(request.session, deps.now());
  }
  const passwordHash = values.password ? await deps.passwords.hash(values.password) : undefined;
  const outcome = await deps.users.update(user.id, { ...values, passwordHash });
  if (outcome === 'missing') return { outcome };
  if (outcome !== 'updated') return { outcome: 'invalid', status: 409, values, errors: { username: USERNAME_CONFLICT_ERRORS[outcome] } };
  if (passwordHash) {
    await request.server.latchkey.endMyOtherSessions(request);
    await deps.tokens.revokeAll(user.id);
  }
  return { outcome: 'updated', user: (await deps.users.findById(user.id)) ?? user };
}

/** True when deleting the account needs the password again: the login is older than FRESH_LOGIN_MINUTES. */
export const needsPassword = (deps: AppDeps, request: FastifyRequest) => !isFreshLogin(request.session, deps.now(), deps.freshLoginMs);

/**
 * Deletes the request's user, their messages and tokens, ends all their sessions and logs the
 * request out. Needs a recent login or the password in `current_password` (ASVS 7.5.3).
 */
export async function deleteAccount(deps: AppDeps, request: FastifyRequest, body: unknown): Promise<{ outcome: 'deleted' } | { outcome: 'missing' | 'wrong' } | Throttled> {
  const user = request.user!;
  if (needsPassword(deps, request)) {
    const check = await confirmPassword(deps, user, formText(body, 'current_password'), request.ip);
    if (check.outcome === 'throttled') return check;
    if (check.outcome !== 'confirmed') return { outcome: check.outcome };
  }
  await deps.users.delete(user.id);
  await request.server.latchkey.sessions.endAll(user.id);
  logOut(request);
  return { outcome: 'deleted' };
}
