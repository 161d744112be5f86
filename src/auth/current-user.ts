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
 * Resolves `request.user` once per request. A session whose user no longer exists is ended.
 * Pages for a logged-in user, and responses that set a cookie, are never stored by caches.
 */
const currentUserPlugin: FastifyPluginAsync<{ users: UserRepository }> = async (app, { users }) => {
  app.decorateRequest('user', null);

  app.addHook('onRequest', async (request) => {
    const userId = request.session?.userId ?? null;
    if (userId === null) return;
    request.user = await users.findById(userId);
    if (!request.user) request.session.destroy();
  });

  app.addHook('onSend', async (request, reply) => {
    if (request.user || reply.hasHeader('set-cookie')) reply.header('cache-control', 'no-store');
  });
};

export default fp(currentUserPlugin, { name: 'latchkey-current-user', dependencies: ['latchkey-session'] });
