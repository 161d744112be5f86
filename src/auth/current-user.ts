import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { User, UserRepository } from '../users/user-repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user, resolved once per request from the session; null for visitors. */
    user: User | null;
  }
}

/**
 * Resolves `request.user` once per request. A session whose user no longer exists, or whose
 * sessions were revoked after it was issued, is ended.
 * Pages for a logged-in user, and responses that set a cookie, are never stored by caches.
 */
const currentUserPlugin: FastifyPluginAsync<{ users: UserRepository }> = async (app, { users }) => {
  app.decorateRequest('user', null);

  app.addHook('onRequest', async (request) => {
    const userId = request.session?.userId ?? null;
    if (userId === null) return;
    const user = await users.findById(userId);
    // the same lookup checks revocation: cookie-mode sessions cannot be deleted, only outdated
    if (user && request.session.issuedAt >= user.sessionsValidAfter) request.user = user;
    else request.session.destroy();
  });

  app.addHook('onSend', async (request, reply) => {
    if (request.user || reply.hasHeader('set-cookie')) reply.header('cache-control', 'no-store');
  });
};

export default fp(currentUserPlugin, { name: 'latchkey-current-user', dependencies: ['latchkey-session'] });
