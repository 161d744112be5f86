import type { FastifyPluginAsync } from 'fastify';
import { logIn, logOut, safeNextPath, securityEvent } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { formText } from '../form-body.js';
import { loginPage, logoutPage, signupPage, welcomePage } from './account-views.js';
import { replyTooManyAttempts } from './too-many-attempts.js';
import { EMAIL_TAKEN_ERROR, USERNAME_CONFLICT_ERRORS, validateUserForm } from './user-form.js';

const INVALID_SUBMISSION = 'Invalid submission. Please try again.';
const isPublic = { config: { public: true } };

/** Signup, login, the welcome page and logout. */
const accountRoutes: FastifyPluginAsync<AppDeps> = async (app, { users, credentials, passwords, loginThrottle, signupQuota, recovery }) => {
  app.get('/users/signup', isPublic, async (request, reply) => reply.page('Sign up', signupPage(request)));

  app.post('/users/signup', isPublic, async (request, reply) => {
    const { values, errors, ok } = validateUserForm(request.body);
    let status = 422;
    if (ok) {
      // counted once the form is valid: each such signup costs a password hash, and probes a username
      const retryAfterMs = await signupQuota.take(request.ip);
      if (retryAfterMs > 0) return replyTooManyAttempts(reply, retryAfterMs, { href: '/users/signup', label: 'Back to sign up' });
      const passwordHash = await passwords.hash(values.password);
      const created = await users.create({ ...values, email: values.email || null, passwordHash });
      if ('user' in created) {
        logIn(request, created.user.id);
        securityEvent(request, 'signup');
        // this browser made the account: its first login here is no news to the owner
        recovery.devices.remember(request, reply, created.user.id);
        request.session.flash('User Created!', 'success');
        if (values.email && (await recovery.emailVerification.sendVerification(created.user)) === 'sent') {
          request.session.flash(`We sent a link to ${values.email}: follow it to confirm your address.`, 'info');
        }
        return reply.redirect('/users/welcome');
      }
      if (created.conflict === 'email-taken') errors.email = EMAIL_TAKEN_ERROR;
      else errors.username = USERNAME_CONFLICT_ERRORS[created.conflict];
      status = 409;
    }
    request.session.flash(INVALID_SUBMISSION, 'error');
    return reply.page('Sign up', signupPage(request, values, errors), status);
  });

  app.get<{ Querystring: { next?: string } }>('/users/login', isPublic, async (request, reply) => {
    return reply.page('Log in', loginPage(request, '', safeNextPath(request.query.next)));
  });

  app.post('/users/login', isPublic, async (request, reply) => {
    const username = formText(request.body, 'username').trim();
    const next = safeNextPath(formText(request.body, 'next'));
    const attempt = await loginThrottle.attempt(username, request.ip);
    if (!attempt.allowed) {
      securityEvent(request, 'login.throttled', { username });
      const back = next ? `/users/login?next=${encodeURIComponent(next)}` : '/users/login';
      return replyTooManyAttempts(reply, attempt.retryAfterMs, { href: back, label: 'Back to log in' });
    }
    const user = await credentials.verifyCredentials(username, formText(request.body, 'password'));
    if (!user) {
      await attempt.failed();
      securityEvent(request, 'login.failed', { username });
      request.session.flash('Invalid credentials. Please try again.', 'error');
      return reply.page('Log in', loginPage(request, username, next), 401);
    }
    await attempt.succeeded();
    logIn(request, user.id, { remember: formText(request.body, 'remember') === 'on' });
    securityEvent(request, 'login.succeeded');
    await recovery.afterLogin(request, reply, user);
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
