import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Confirmation, confirmPassword, isFreshLogin, logIn, logOut, markAuthenticated, securityEvent } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { emailKey } from '../email-address.js';
import { formText } from '../form-body.js';
import type { FieldErrors } from '../views/form.js';
import { EMAIL_TAKEN_ERROR, USERNAME_CONFLICT_ERRORS, type UserFormValues, validateUserForm } from './user-form.js';
import type { User } from './user-repository.js';

/**
 * The rules of accounts, one function per act, called by the HTML routes and the JSON API alike
 * (and the CLI where it can): routes only read input and render the outcome.
 */

type Throttled = { outcome: 'throttled'; retryAfterMs: number };
export type Invalid = { outcome: 'invalid'; status: 403 | 409 | 422; values: UserFormValues; errors: FieldErrors };

/** Signs a new user up from `username`, `password`, `first_name`, `last_name` and an optional `email`. */
export async function signUp(deps: AppDeps, body: unknown, ip: string): Promise<{ outcome: 'created'; user: User } | Invalid | Throttled> {
  const { values, errors, ok } = validateUserForm(body);
  if (!ok) return { outcome: 'invalid', status: 422, values, errors };
  // counted once the form is valid: each such signup costs a password hash, and probes a username
  const retryAfterMs = await deps.signupQuota.take(ip);
  if (retryAfterMs > 0) return { outcome: 'throttled', retryAfterMs };
  const passwordHash = await deps.passwords.hash(values.password);
  const created = await deps.users.create({ ...values, email: values.email || null, passwordHash });
  if ('user' in created) return { outcome: 'created', user: created.user };
  const conflict = created.conflict === 'email-taken' ? { email: EMAIL_TAKEN_ERROR } : { username: USERNAME_CONFLICT_ERRORS[created.conflict] };
  return { outcome: 'invalid', status: 409, values, errors: conflict };
}

/**
 * Logs in the user who just signed up, remembers this browser as theirs, and sends the link that
 * confirms their address when they gave one; says whether it went.
 */
export async function welcomeNewUser(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, user: User): Promise<{ verificationSent: boolean }> {
  logIn(request, user.id);
  securityEvent(request, 'signup');
  // this browser made the account: its first login here is no news to the owner
  deps.recovery.devices.remember(request, reply, user.id);
  return { verificationSent: Boolean(user.email) && (await deps.recovery.emailVerification.sendVerification(user)).outcome === 'sent' };
}

/**
 * Checks a username and password through the login throttle: an unknown name and a wrong password
 * answer alike. Refusals are security events. The caller logs the user in with `startSession`.
 */
export async function checkLogin(deps: AppDeps, request: FastifyRequest, username: string, password: string): Promise<{ outcome: 'ok'; user: User } | { outcome: 'wrong' } | Throttled> {
  const attempt = await deps.loginThrottle.attempt(username, request.ip);
  if (!attempt.allowed) {
    securityEvent(request, 'login.throttled', { username });
    return { outcome: 'throttled', retryAfterMs: attempt.retryAfterMs };
  }
  const user = await deps.credentials.verifyCredentials(username, password);
  if (!user) {
    await attempt.failed();
    securityEvent(request, 'login.failed', { username });
    return { outcome: 'wrong' };
  }
  await attempt.succeeded();
  return { outcome: 'ok', user };
}

/** Logs in a user whose password was checked; a browser new to the account earns its owner a notice. */
export async function startSession(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, user: User, remember: boolean): Promise<void> {
  logIn(request, user.id, { remember });
  securityEvent(request, 'login.succeeded');
  await deps.recovery.afterLogin(request, reply, user);
}

export type ProfileUpdated = {
  outcome: 'updated';
  user: User;
  /** What became of a new address: a link went to it (`sent`), or the address was removed. */
  emailChange: 'sent' | 'removed' | null;
  newEmail: string | null | undefined;
};

/**
 * Updates the request's user from `body` (the profile form's fields; a blank or absent password
 * keeps the current one, an absent `email` keeps the address). A new password or address needs
 * `current_password` (ASVS 6.2.3); a new password ends every other session and every API token,
 * and a notice goes out. A new address changes only once its owner follows the link sent to it.
 */
export async function updateProfile(deps: AppDeps, request: FastifyRequest, body: unknown): Promise<ProfileUpdated | { outcome: 'missing' } | Invalid | Throttled> {
  const { users, recovery } = deps;
  const user = request.user!;
  const { values, errors, ok } = validateUserForm(body, { passwordOptional: true });
  const newEmail = values.emailGiven && emailChanges(user.email, values.email) ? values.email || null : undefined;
  let status: Invalid['status'] = 422;
  if (ok && newEmail && (await users.emailTaken(newEmail, user.id))) {
    errors.email = EMAIL_TAKEN_ERROR;
    status = 409;
  }
  if (ok && !errors.email && (values.password || newEmail !== undefined)) {
    // a session alone is not enough, or whoever finds a logged-in browser could take the account for good
    const check = await confirmPassword(deps, user, formText(body, 'current_password'), request.ip);
    reportConfirmation(request, check);
    if (check.outcome === 'throttled') return check;
    if (check.outcome === 'confirmed') {
      markAuthenticated(request.session, deps.now());
    } else {
      errors.current_password =
        check.outcome === 'missing'
          ? values.password ? 'Enter your current password to set a new one.' : 'Enter your current password to change your email address.'
          : 'That is not your current password.';
      status = 403;
    }
  }
  if (ok && !errors.current_password && !errors.email) {
    const passwordHash = values.password ? await deps.passwords.hash(values.password) : undefined;
    const outcome = await users.update(user.id, { ...values, passwordHash });
    if (outcome === 'missing') return { outcome };
    if (outcome === 'updated') {
      if (passwordHash) {
        // whoever knew the old password is out: other sessions and every API token end
        await request.server.latchkey.endMyOtherSessions(request);
        await deps.tokens.revokeAll(user.id);
        securityEvent(request, 'password.changed');
        await recovery.notices.passwordChanged(user, 'changed');
      }
      const change = newEmail === undefined ? null : await recovery.emailVerification.requestChange(user, newEmail);
      const emailChange = change === 'sent' || change === 'removed' ? change : null;
      return { outcome: 'updated', user: (await users.findById(user.id)) ?? user, emailChange, newEmail };
    }
    errors.username = USERNAME_CONFLICT_ERRORS[outcome];
    status = 409;
  }
  return { outcome: 'invalid', status, values, errors };
}

/** A password typed again that was wrong or throttled is a security event, as a failed login is. */
function reportConfirmation(request: FastifyRequest, check: Confirmation) {
  if (check.outcome === 'throttled') securityEvent(request, 'login.throttled', { reason: 'password-confirmation' });
  else if (check.outcome === 'wrong') securityEvent(request, 'login.failed', { reason: 'password-confirmation' });
}

/** True when the typed address is another address than the current one (not merely another case of it). */
function emailChanges(current: string | null, typed: string): boolean {
  if (typed === '') return current !== null;
  return current === null || emailKey(current) !== emailKey(typed) || current !== typed;
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
    reportConfirmation(request, check);
    if (check.outcome === 'throttled') return check;
    if (check.outcome !== 'confirmed') return { outcome: check.outcome };
  }
  await deps.users.delete(user.id);
  await request.server.latchkey.sessions.endAll(user.id);
  securityEvent(request, 'account.deleted');
  logOut(request);
  return { outcome: 'deleted' };
}
