import type { FastifyPluginAsync } from 'fastify';
import { logOut, safeNextPath, securityEvent } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { formText } from '../form-body.js';
import { loginPage, logoutPage, signupPage, welcomePage } from './account-views.js';
import { checkLogin, signUp, startSession, welcomeNewUser } from './account-actions.js';
import { replyTooManyAttempts } from './too-many-attempts.js';

const INVALID_SUBMISSION = 'Invalid submission. Please try again.';
const isPublic = { config: { public: true } };

/** Signup, login, the welcome page and logout. */
const accountRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  app.get('/users/signup', isPublic, async (request, reply) => reply.page('Sign up', signupPage(request)));

  app.post('/users/signup', isPublic, async (request, reply) => {
    const result = await signUp(deps, request.body, request.ip);
    if (result.outcome === 'throttled') return replyTooManyAttempts(reply, result.retryAfterMs, { href: '/users/signup', label: 'Back to sign up' });
    if (result.outcome === 'created') {
      const { verificationSent } = await welcomeNewUser(deps, request, reply, result.user);
      request.session.flash('User Created!', 'success');
      if (verificationSent) request.session.flash(`We sent a link to ${result.user.email}: follow it to confirm your address.`, 'info');
      return reply.redirect('/users/welcome');
    }
    request.session.flash(INVALID_SUBMISSION, 'error');
    return reply.page('Sign up', signupPage(request, result.values, result.errors), result.status);
  });

  app.get<{ Querystring: { next?: string } }>('/users/login', isPublic, async (request, reply) => {
    return reply.page('Log in', loginPage(request, '', safeNextPath(request.query.next)));
  });

  app.post('/users/login', isPublic, async (request, reply) => {
    const username = formText(request.body, 'username').trim();
    const next = safeNextPath(formText(request.body, 'next'));
    const result = await checkLogin(deps, request, username, formText(request.body, 'password'));
    if (result.outcome === 'throttled') {
      const back = next ? `/users/login?next=${encodeURIComponent(next)}` : '/users/login';
      return replyTooManyAttempts(reply, result.retryAfterMs, { href: back, label: 'Back to log in' });
    }
    if (result.outcome === 'wrong') {
      request.session.flash('Invalid credentials. Please try again.', 'error');
      return reply.page('Log in', loginPage(request, username, next), 401);
    }
    await startSession(deps, request, reply, result.user, formText(request.body, 'remember') === 'on');
    request.session.flash("You've successfully logged in!", 'success');
    return reply.redirect(next ?? '/users/welcome');
  });

  app.get('/users/welcome', async (request, reply) => {
    const refused = request.session.pendingFlashes.some((flash) => flash.category === 'error');
    return reply.page(refused ? 'Not your page' : 'Welcome', welcomePage(request.user!, { refused }));
  });

  app.get('/users/logout', isPublic, async (request, reply) => reply.page('Log out', logoutPage(request)));

  app.post('/users/logout', isPublic, async (request, reply) => {
    if (request.user) securityEvent(request, 'logout');
    logOut(request);
    request.session.flash('You have been signed out.', 'success');
    return reply.redirect('/users/login');
  });
};

export default accountRoutes;
