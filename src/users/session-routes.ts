import type { FastifyPluginAsync } from 'fastify';
import { securityEvent } from 'latchkey';
import { keysetPageOf } from '../db/keyset-page.js';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { cursorParam, PAGE_SIZE } from '../views/pager.js';
import { requireCorrectUser } from './guards.js';
import { sessionsPage } from './session-views.js';

const HANDLE = /^[A-Za-z0-9_-]{16}$/;

/** The devices page: list your sessions, end one, or end all but this one. Only for yourself. */
const sessionRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  app.get('/users/:id/sessions', { preHandler: requireCorrectUser }, async (request, reply) => {
    const userId = request.user!.id;
    const sessions = await app.latchkey.listMySessions(request);
    // newest login first, 50 a page; a login's time (ms) is its place in the cursor: two logins of
    // one user in the same millisecond could only lose one of them from view at a page boundary
    const page = await keysetPageOf(
      sessions.map((session) => ({ id: session.createdAt, session })),
      'desc',
      { limit: PAGE_SIZE, cursor: cursorParam(request) },
    );
    return reply.page('Your sessions', sessionsPage(request, userId, page, sessions.some((session) => !session.current)));
  });

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
