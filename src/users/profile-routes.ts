import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { confirmPassword, isFreshLogin, logOut, markAuthenticated, securityEvent } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { formText } from '../form-body.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { idParam } from '../route-params.js';
import { cursorParam, PAGE_SIZE } from '../views/pager.js';
import { requireCorrectUser } from './guards.js';
import type { User } from './user-repository.js';
import { deleteAccountPage, editProfilePage, profilePage, usersIndexPage } from './profile-views.js';
import { replyTooManyAttempts } from './too-many-attempts.js';
import { emailKey } from '../email-address.js';
import { EMAIL_TAKEN_ERROR, USERNAME_CONFLICT_ERRORS, validateUserForm } from './user-form.js';

/** Everyone may see every profile; only you may change or delete yours. */
const profileRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { users, messages, passwords, freshLoginMs, recovery, now } = deps;
  const backToEdit = (user: User) => ({ href: `/users/${user.id}/edit`, label: 'Back to your profile' });
  const needsPassword = (request: FastifyRequest) => !isFreshLogin(request.session, now(), freshLoginMs);

  async function userFrom(request: FastifyRequest) {
    const user = await users.findById(idParam(request));
    if (!user) throw notFound('user');
    return user;
  }

  app.get('/users', async (request, reply) => {
    const page = await users.list({ limit: PAGE_SIZE, cursor: cursorParam(request) });
    return reply.page('Users', usersIndexPage(page, await users.count()));
  });

  app.get('/users/:id', async (request, reply) => {
    const user = await userFrom(request);
    const pendingEmail = request.user?.id === user.id ? await recovery.emailVerification.pendingChange(user) : null;
    return reply.page(user.username, profilePage(request, user, pendingEmail));
  });

  app.get('/users/:id/edit', { preHandler: requireCorrectUser }, async (request, reply) => {
    return reply.page('Edit profile', editProfilePage(request, request.user!));
  });

  const deletePage = async (request: FastifyRequest, user: User, error?: string) =>
    deleteAccountPage(request, user, await messages.countByUser(user.id), { askPassword: Boolean(error) || needsPassword(request), error });

  app.get('/users/:id/delete', { preHandler: requireCorrectUser }, async (request, reply) => {
    return reply.page('Delete your account', await deletePage(request, request.user!));
  });

  overridableRoutes(app, '/users/:id', {
    preHandler: [requireCorrectUser],
    handlers: {
      async PATCH(request, reply) {
        const user = request.user!;
        const { values, errors, ok } = validateUserForm(request.body, { passwordOptional: true });
        const newEmail = values.emailGiven && emailChanges(user.email, values.email) ? values.email || null : undefined;
        let status = 422;
        if (ok && newEmail && (await users.emailTaken(newEmail, user.id))) {
          errors.email = EMAIL_TAKEN_ERROR;
          status = 409;
        }
        if (ok && !errors.email && (values.password || newEmail !== undefined)) {
          // a new password or address needs the current password (ASVS 6.2.3): a session alone is
          // not enough, or whoever finds a logged-in browser could take the account for good
          const check = await confirmPassword(deps, user, formText(request.body, 'current_password'), request.ip);
          reportConfirmation(request, check.outcome);
          if (check.outcome === 'throttled') return replyTooManyAttempts(reply, check.retryAfterMs, backToEdit(user));
          if (check.outcome === 'confirmed') {
            markAuthenticated(request.session, now());
          } else {
            errors.current_password =
              check.outcome === 'missing'
                ? values.password ? 'Enter your current password to set a new one.' : 'Enter your current password to change your email address.'
                : 'That is not your current password.';
            status = 403;
          }
        }
        if (ok && !errors.current_password && !errors.email) {
          const passwordHash = values.password ? await passwords.hash(values.password) : undefined;
          const outcome = await users.update(user.id, { ...values, passwordHash });
          if (outcome === 'updated') {
            if (passwordHash) {
              // a new password ends every other session: whoever knew the old one is out
              await app.latchkey.endMyOtherSessions(request);
              securityEvent(request, 'password.changed');
              await recovery.notices.passwordChanged(user, 'changed');
            }
            request.session.flash('User Updated!', 'success');
            if (newEmail !== undefined) {
              const change = await recovery.emailVerification.requestChange(user, newEmail);
              if (change === 'sent') request.session.flash(changeSentFlash(newEmail!), 'info');
              if (change === 'removed') request.session.flash('Your email address has been removed.', 'info');
            }
            return reply.redirect(`/users/${user.id}`);
          }
          if (outcome === 'missing') throw notFound('user');
          errors.username = USERNAME_CONFLICT_ERRORS[outcome];
          status = 409;
        }
        request.session.flash('Invalid submission. Please try again.', 'error');
        return reply.page('Edit profile', editProfilePage(request, user, values, errors), status);
      },
      async DELETE(request, reply) {
        const user = request.user!;
        // deleting needs a recent login, or the password again (ASVS 7.5.3)
        if (needsPassword(request)) {
          const check = await confirmPassword(deps, user, formText(request.body, 'current_password'), request.ip);
          reportConfirmation(request, check.outcome);
          if (check.outcome === 'throttled') return replyTooManyAttempts(reply, check.retryAfterMs, backToEdit(user));
          if (check.outcome !== 'confirmed') {
            const error = check.outcome === 'missing' ? 'Enter your password to delete your account.' : 'That is not your password.';
            request.session.flash('Please confirm your password to delete your account.', 'error');
            return reply.page('Delete your account', await deletePage(request, user, error), 403);
          }
        }
        await users.delete(user.id);
        await app.latchkey.sessions.endAll(user.id);
        securityEvent(request, 'account.deleted');
        logOut(request);
        request.session.flash('User Deleted!', 'success');
        return reply.redirect('/users/signup');
      },
    },
  });
};

/** A password typed again (to change it, or to delete the account) is a login attempt like any other. */
function reportConfirmation(request: FastifyRequest, outcome: string) {
  if (outcome === 'throttled') securityEvent(request, 'login.throttled', { reason: 'password-confirmation' });
  else if (outcome === 'wrong') securityEvent(request, 'login.failed', { reason: 'password-confirmation' });
}

/** The flash after asking for a change of address. */
const changeSentFlash = (email: string) => `We sent a link to ${email}: your email address changes when you follow it.`;

/** True when the typed address is another address than the current one (not merely another case of it). */
function emailChanges(current: string | null, typed: string): boolean {
  if (typed === '') return current !== null;
  return current === null || emailKey(current) !== emailKey(typed) || current !== typed;
}

export default profileRoutes;
