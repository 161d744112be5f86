import type { FastifyPluginAsync } from 'fastify';
import { requireCorrectUser } from '../auth/guards.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import type { AppDeps } from './deps.js';
import { sessionsPage } from './session-views.js';

const HANDLE = /^[A-Za-z0-9_-]{16}$/;

/** The devices page: list your sessions, end one, or end all but this one. Only for yourself. */
const sessionRoutes: FastifyPluginAsync<AppDeps> = async (app, { sessions }) => {
  app.get('/users/:id/sessions', { preHandler: requireCorrectUser }, async (request, reply) => {
    const userId = request.user!.id;
    const page = sessionsPage(request, userId, await sessions.list(request, userId), sessions.listsDevices);
    return reply.page('Your sessions', page);
  });

  overridableRoutes(app, '/users/:id/sessions', {
    preHandler: [requireCorrectUser],
    handlers: {
      async DELETE(request, reply) {
        const userId = request.user!.id;
        await sessions.endOthers(request, userId);
        request.session.flash('You have been logged out everywhere else.', 'success');
        return reply.redirect(`/users/${userId}/sessions`);
      },
    },
  });

  overridableRoutes(app, '/users/:id/sessions/:sid', {
    preHandler: [requireCorrectUser],
    handlers: {
      async DELETE(request, reply) {
        const userId = request.user!.id;
        const handle = (request.params as { sid: string }).sid;
        if (!HANDLE.test(handle) || !(await sessions.endOne(userId, handle))) throw notFound('session');
        request.session.flash('That session has been ended.', 'success');
        return reply.redirect(`/users/${userId}/sessions`);
      },
    },
  });
};

export default sessionRoutes;
