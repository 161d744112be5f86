import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { idParam } from '../route-params.js';
import { cursorParam, PAGE_SIZE } from '../views/pager.js';
import { requireCorrectUser } from './guards.js';
import type { User } from './user-repository.js';
import { deleteAccountPage, editProfilePage, profilePage, usersIndexPage } from './profile-views.js';
import { deleteAccount, needsPassword, updateProfile } from './account-actions.js';
import { replyTooManyAttempts } from './too-many-attempts.js';

/** Everyone may see every profile; only you may change or delete yours. */
const profileRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { users, messages } = deps;
  const backToEdit = (user: User) => ({ href: `/users/${user.id}/edit`, label: 'Back to your profile' });

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
    const pendingEmail = request.user?.id === user.id ? await deps.recovery.emailVerification.pendingChange(user) : null;
    return reply.page(user.username, profilePage(request, user, pendingEmail));
  });

  app.get('/users/:id/edit', { preHandler: requireCorrectUser }, async (request, reply) => {
    return reply.page('Edit profile', editProfilePage(request, request.user!));
  });

  const deletePage = async (request: FastifyRequest, user: User, error?: string) =>
    deleteAccountPage(request, user, await messages.countByUser(user.id), { askPassword: Boolean(error) || needsPassword(deps, request), error });

  app.get('/users/:id/delete', { preHandler: requireCorrectUser }, async (request, reply) => {
    return reply.page('Delete your account', await deletePage(request, request.user!));
  });

  overridableRoutes(app, '/users/:id', {
    preHandler: [requireCorrectUser],
    handlers: {
      async PATCH(request, reply) {
        const user = request.user!;
        const result = await updateProfile(deps, request, request.body);
        if (result.outcome === 'throttled') return replyTooManyAttempts(reply, result.retryAfterMs, backToEdit(user));
        if (result.outcome === 'missing') throw notFound('user');
        if (result.outcome === 'updated') {
          request.session.flash('User Updated!', 'success');
          if (result.emailChange === 'sent') request.session.flash(changeSentFlash(result.newEmail!), 'info');
          if (result.emailChange === 'removed') request.session.flash('Your email address has been removed.', 'info');
          return reply.redirect(`/users/${user.id}`);
        }
        request.session.flash('Invalid submission. Please try again.', 'error');
        return reply.page('Edit profile', editProfilePage(request, user, result.values, result.errors), result.status);
      },
      async DELETE(request, reply) {
        const user = request.user!;
        const result = await deleteAccount(deps, request, request.body);
        if (result.outcome === 'throttled') return replyTooManyAttempts(reply, result.retryAfterMs, backToEdit(user));
        if (result.outcome !== 'deleted') {
          const error = result.outcome === 'missing' ? 'Enter your password to delete your account.' : 'That is not your password.';
          request.session.flash('Please confirm your password to delete your account.', 'error');
          return reply.page('Delete your account', await deletePage(request, user, error), 403);
        }
        request.session.flash('User Deleted!', 'success');
        return reply.redirect('/users/signup');
      },
    },
  });
};

/** The flash after asking for a change of address. */
const changeSentFlash = (email: string) => `We sent a link to ${email}: your email address changes when you follow it.`;

export default profileRoutes;
