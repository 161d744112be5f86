import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireCorrectUser } from '../auth/guards.js';
import { hashPassword } from '../auth/password.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { idParam } from '../route-params.js';
import type { AppDeps } from './deps.js';
import { editProfilePage, profilePage, usersIndexPage } from './profile-views.js';
import { validateUserForm } from './user-form.js';

/** Everyone may see every profile; only you may change or delete yours. */
const profileRoutes: FastifyPluginAsync<AppDeps> = async (app, { users, bcryptRounds, endUserSessions }) => {
  async function userFrom(request: FastifyRequest) {
    const user = await users.findById(idParam(request));
    if (!user) throw notFound('user');
    return user;
  }

  app.get('/users', async (_request, reply) => reply.page('Users', usersIndexPage(await users.list())));

  app.get('/users/:id', async (request, reply) => {
    const user = await userFrom(request);
    return reply.page(user.username, profilePage(request, user));
  });

  app.get('/users/:id/edit', { preHandler: requireCorrectUser }, async (request, reply) => {
    return reply.page('Edit profile', editProfilePage(request, request.user!));
  });

  overridableRoutes(app, '/users/:id', {
    preHandler: [requireCorrectUser],
    handlers: {
      async PATCH(request, reply) {
        const user = request.user!;
        const { values, errors, ok } = validateUserForm(request.body, { passwordOptional: true });
        let status = 422;
        if (ok) {
          const passwordHash = values.password ? await hashPassword(values.password, bcryptRounds) : undefined;
          const outcome = await users.update(user.id, { ...values, passwordHash });
          if (outcome === 'updated') {
            request.session.flash('User Updated!', 'success');
            return reply.redirect(`/users/${user.id}`);
          }
          if (outcome === 'missing') throw notFound('user');
          errors.username = 'That username is taken. Please choose another.';
          status = 409;
        }
        request.session.flash('Invalid submission. Please try again.', 'error');
        return reply.page('Edit profile', editProfilePage(request, user, values, errors), status);
      },
      async DELETE(request, reply) {
        const user = request.user!;
        await users.delete(user.id);
        await endUserSessions(user.id);
        request.session.destroy();
        request.session.flash('User Deleted!', 'success');
        return reply.redirect('/users/signup');
      },
    },
  });
};

export default profileRoutes;
