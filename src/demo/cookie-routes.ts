import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http-error.js';

const MAX_USERNAME_CHARACTERS = 64;

/** The chapter's plain-cookie demo: read and set an unsigned `username` cookie. */
const cookieRoutes: FastifyPluginAsync = async (app) => {
  app.get('/cookies', { config: { public: true } }, async (request, reply) => {
    const username = request.cookies.username;
    return reply.type('text/plain; charset=utf-8').send(`username cookie: ${username || '(none)'}`);
  });

  app.get<{ Querystring: { username?: unknown } }>('/cookies/set', { config: { public: true } }, async (request, reply) => {
    const username = request.query.username;
    if (typeof username !== 'string' || username.trim() === '' || [...username].length > MAX_USERNAME_CHARACTERS) {
      throw new HttpError(400, 'BAD_COOKIE_VALUE', `Give a username of 1 to ${MAX_USERNAME_CHARACTERS} characters: /cookies/set?username=yourname`);
    }
    reply.setCookie('username', username, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 * 24 * 30 });
    return reply.type('text/plain; charset=utf-8').send('Cookie set!');
  });
};

export default cookieRoutes;
