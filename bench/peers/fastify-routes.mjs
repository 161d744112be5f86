/**
 * The bench routes for both Fastify peers; `session` adapts the plugin's API
 * (secure-session: get/set/delete; @fastify/session: get/set/regenerate).
 */
import { randomBytes } from 'node:crypto';
import { welcomePage, loginPage, signupPage } from './page.mjs';

const csrfToken = randomBytes(16).toString('hex');

/** Registers the routes on `app`; `accounts` from accounts.mjs, `session` = { get, set, login }. */
export function registerBenchRoutes(app, accounts, session) {
  const html = (reply, body, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);

  app.get('/users/signup', (req, reply) => html(reply, signupPage(csrfToken)));
  app.get('/users/login', (req, reply) => html(reply, loginPage(csrfToken)));

  app.post('/users/signup', async (req, reply) => {
    const user = await accounts.signUp(req.body ?? {});
    if (!user) return html(reply, signupPage(csrfToken), 422);
    await session.login(req, user.id);
    return reply.redirect('/users/welcome');
  });

  app.post('/users/login', async (req, reply) => {
    const user = await accounts.logIn(req.body ?? {});
    if (!user) return html(reply, loginPage(csrfToken), 401);
    await session.login(req, user.id);
    return reply.redirect('/users/welcome');
  });

  app.get('/users/welcome', (req, reply) => {
    const user = accounts.findUser(session.get(req, 'user_id'));
    if (!user) return reply.redirect('/users/login');
    return html(reply, welcomePage(user, csrfToken));
  });

  app.get('/start_counter', (req, reply) => {
    session.set(req, 'count', 0);
    return reply.type('text/plain').send('New counter started!');
  });

  app.get('/count', (req, reply) => {
    const count = session.get(req, 'count');
    if (typeof count !== 'number') return reply.type('text/plain').send('No counter set!');
    session.set(req, 'count', count + 1);
    return reply.type('text/plain').send(String(count + 1));
  });
}
