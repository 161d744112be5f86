import type { FastifyPluginAsync } from 'fastify';
import { securityEvent } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { requireCorrectUser } from './guards.js';

const HANDLE = /^[A-Za-z0-9_-]{16}$/;

/** The devices page's session buttons: end one, or end all but this one. Only for yourself. */
const sessionRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  // GET /users/:id/sessions, the page itself, is in src/tokens/token-routes.ts: it shows API tokens too
  overridableRoutes(app, '/users/:id/sessions', {
    preHandler: [requireCorrectUser],
    handlers: {
      async DELETE(request, reply) {
        await app.latchkey.endMyOtherSessions(request);
        securityEvent(request, 'sessions.ended', { reason: 'all-others' });
        request.session.flash('You have been logged out everywhere else.', 'success');
        return reply.redirect(`/users/${request.user!.id}/sessions`);
      },
    },
  });

  overridableRoutes(app, '/users/:id/sessions/:sid', {
    preHandler: [requireCorrectUser],
    handlers: {
      async DELETE(request, reply) {
        const userId = request.user!.id;
        const handle = (request.params as { sid: string }).sid;
        if (!HANDLE.test(handle) || !(await app.latchkey.sessions.end(userId, handle))) throw notFound('session');
        securityEvent(request, 'sessions.ended', { reason: 'one' });
        request.session.flash('That session has been ended.', 'success');
        return reply.redirect(`/users/${userId}/sessions`);
      },
    },
  });
};

export default sessionRoutes;
