import type { FastifyReply, FastifyRequest } from 'fastify';
import { idParam } from '../route-params.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set true on a route anyone may use; every other route needs a logged-in user. */
    public?: boolean;
  }
}

/**
 * Secure by default: registered for every route, it lets through only logged-in users unless the
 * route opts out with `config: { public: true }`.
 */
export async function requireLogin(request: FastifyRequest, reply: FastifyReply) {
  if (request.routeOptions.config.public || request.user || request.is404) return;
  request.session.flash('Please log in first', 'error');
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  return reply.redirect(`/users/login${next}`);
}

/** Only the user named by the route's `:id` may go on; anyone else goes to the welcome page. */
export async function requireCorrectUser(request: FastifyRequest, reply: FastifyReply) {
  if (request.user && request.user.id === idParam(request)) return;
  request.session.flash('Not Authorized', 'error');
  return reply.redirect('/users/welcome');
}
