import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../form-body.js';
import { requireCorrectUser } from '../users/guards.js';
import { replyTooManyAttempts } from '../users/too-many-attempts.js';
import type { AccountRecovery } from './account-recovery.js';
import { afterReset, isSessionOf } from './after-reset.js';
import { TOKEN_LIFETIME_MS } from './email-tokens.js';
import { confirmEmailPage, deadLinkPage, emailTakenPage, forgotPasswordPage, forgotPasswordSentPage, resetPasswordPage } from './recovery-views.js';

export interface RecoveryRouteOptions {
  recovery: AccountRecovery;
}

const INVALID_SUBMISSION = 'Invalid submission. Please try again.';
const isPublic = { public: true } as const;
// the page's address holds the token: no Referer may carry it anywhere, no cache may keep the page
const holdsToken = { config: { ...isPublic, referrerPolicy: 'no-referrer' } } as const;

const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Forgot password, reset password, and the links that confirm an email address. */
const recoveryRoutes: FastifyPluginAsync<RecoveryRouteOptions> = async (app, { recovery }) => {
  const { passwordReset, emailVerification, forgotPassword } = recovery;

  app.get('/users/password/forgot', { config: isPublic }, async (request, reply) => reply.page('Forgot your password?', forgotPasswordPage(request)));

  // the work of a "forgot" form starts once its answer has gone (src/recovery/forgot-password.ts)
  app.post('/users/password/forgot', { config: isPublic, onResponse: forgotPassword.runAfterAnswer }, async (request, reply) => {
    const login = formText(request.body, 'login').trim();
    const result = await forgotPassword.accept(request, login);
    if (result.outcome === 'invalid') {
      request.session.flash(INVALID_SUBMISSION, 'error');
      return reply.page('Forgot your password?', forgotPasswordPage(request, login, { login: result.error }), 422);
    }
    if (result.outcome === 'throttled') return replyTooManyAttempts(reply, result.retryAfterMs, { href: '/users/password/forgot', label: 'Back' });
    return reply.page('Check your email', forgotPasswordSentPage(TOKEN_LIFETIME_MS['password-reset'] / 60_000));
  });

  app.get('/users/password/reset/:token', holdsToken, async (request, reply) => {
    noStore(reply);
    const user = await passwordReset.check(tokenOf(request));
    if (!user) return reply.page('Link does not work', deadLinkPage('password'), 404);
    return reply.page('Choose a new password', resetPasswordPage(request, tokenOf(request), user));
  });

  app.post('/users/password/reset/:token', holdsToken, async (request, reply) => {
    noStore(reply);
    const token = tokenOf(request);
    const result = await passwordReset.complete(token, formText(request.body, 'password'));
    if (result.outcome === 'invalid-token') return reply.page('Link does not work', deadLinkPage('password'), 404);
    if (result.outcome === 'invalid-password') {
      const user = await passwordReset.check(token);
      if (!user) return reply.page('Link does not work', deadLinkPage('password'), 404);
      request.session.flash(INVALID_SUBMISSION, 'error');
      return reply.page('Choose a new password', resetPasswordPage(request, token, user, { password: result.problem }), 422);
    }
    afterReset(request, result.user.id);
    request.session.flash('Your password has been reset. Log in with your new password.', 'success');
    return reply.redirect('/users/login');
  });

  app.get('/users/email/confirm/:token', holdsToken, async (request, reply) => {
    noStore(reply);
    const grant = await emailVerification.check(tokenOf(request));
    if (!grant) return reply.page('Link does not work', deadLinkPage('email'), 404);
    return reply.page('Confirm your email address', confirmEmailPage(request, tokenOf(request), grant));
  });

  // a GET only shows what the link would do: mail scanners that open every link change nothing
  app.post('/users/email/confirm/:token', holdsToken, async (request, reply) => {
    noStore(reply);
    const result = await emailVerification.confirm(tokenOf(request));
    if (result.outcome === 'invalid-token') return reply.page('Link does not work', deadLinkPage('email'), 404);
    if (result.outcome === 'email-taken') return reply.page('That address is taken', emailTakenPage(), 409);
    request.session.flash(result.outcome === 'changed' ? `Your email address is now ${result.email}.` : 'Your email address has been confirmed.', 'success');
    return reply.redirect(isSessionOf(request, result.user.id) ? `/users/${result.user.id}` : '/users/login');
  });

  app.post('/users/:id/email/verification', { preHandler: requireCorrectUser }, async (request, reply) => {
    const user = request.user!;
    const { outcome } = await emailVerification.sendVerification(user, { throttle: true });
    if (outcome === 'sent') request.session.flash(`We sent a new link to ${user.email}.`, 'success');
    else if (outcome === 'already-verified') request.session.flash('Your email address is already confirmed.', 'info');
    else if (outcome === 'no-email') request.session.flash('Add an email address first.', 'error');
    else request.session.flash('We sent several links already: please wait an hour before asking again, and look in your spam folder.', 'error');
    return reply.redirect(`/users/${user.id}`);
  });
};

export default recoveryRoutes;
