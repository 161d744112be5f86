import type { FastifyPluginAsync } from 'fastify';
import { rotateCsrfSecret } from '../auth/csrf.js';
import { hashPassword } from '../auth/password.js';
import { safeNextPath } from '../auth/safe-redirect.js';
import { formText } from '../form-body.js';
import { loginPage, logoutPage, signupPage, welcomePage } from './account-views.js';
import type { AppDeps } from './deps.js';
import { validateUserForm } from './user-form.js';

const INVALID_SUBMISSION = 'Invalid submission. Please try again.';
const isPublic = { config: { public: true } };

/** Signup, login, the welcome page and logout. */
const accountRoutes: FastifyPluginAsync<AppDeps> = async (app, { users, credentials, bcryptRounds }) => {
  app.get('/users/signup', isPublic, async (request, reply) => reply.page('Sign up', signupPage(request)));

  app.post('/users/signup', isPublic, async (request, reply) => {
    const { values, errors, ok } = validateUserForm(request.body);
    let status = 422;
    if (ok) {
      const passwordHash = await hashPassword(values.password, bcryptRounds);
      const user = await users.create({ ...values, passwordHash });
      if (user) {
        request.session.logIn(user.id);
        rotateCsrfSecret(request);
        request.session.flash('User Created!', 'success');
        return reply.redirect('/users/welcome');
      }
      errors.username = 'That username is taken. Please choose another.';
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
    const user = await credentials.verifyCredentials(username, formText(request.body, 'password'));
    if (!user) {
      request.session.flash('Invalid credentials. Please try again.', 'error');
      return reply.page('Log in', loginPage(request, username, next), 401);
    }
    request.session.logIn(user.id);
    rotateCsrfSecret(request);
    request.session.flash("You've successfully logged in!", 'success');
    return reply.redirect(next ?? '/users/welcome');
  });

  app.get('/users/welcome', async (request, reply) => reply.page('Welcome', welcomePage(request.user!)));

  app.get('/users/logout', isPublic, async (request, reply) => reply.page('Log out', logoutPage(request)));

  app.post('/users/logout', isPublic, async (request, reply) => {
    request.session.destroy();
    request.session.flash('You have been signed out.', 'success');
    return reply.redirect('/users/login');
  });
};

export default accountRoutes;
