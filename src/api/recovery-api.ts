import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { afterReset } from '../recovery/after-reset.js';
import { TOKEN_LIFETIME_MS } from '../recovery/email-tokens.js';
import { operation } from './operation.js';
import { sendProblem } from './problem.js';
import { ConfirmEmailBody, ConfirmEmailResponse, ForgotBody, ForgotResponse, ResetBody, VerificationResponse } from './recovery-schemas.js';

const INVALID_SUBMISSION = 'Invalid submission. Please try again.';
const DEAD_LINK = 'This link does not work: it was used, it expired, a newer one was sent, or it was mistyped. Ask for a new one.';
const FORGOT_ANSWER = { detail: 'If that account has a confirmed email address, a link to reset its password is on its way.', valid_minutes: TOKEN_LIFETIME_MS['password-reset'] / 60_000 };
// the anonymous entry points: like logging in, no CSRF token (there is no session to bind it to,
// the cross-site check still applies) and no API token (a token has no business resetting passwords)
const anonymous = { public: true, cookieOnly: true, noCsrfToken: true } as const;

/** Forgot password, reset password, confirm an address, send the confirmation link again: the HTML flows' functions (src/recovery). */
const recoveryApi: FastifyPluginAsyncTypebox<AppDeps> = async (app, { recovery }) => {
  const { passwordReset, forgotPassword, emailVerification } = recovery;
  // answers here carry mailed tokens' outcomes and addresses: no cache may keep them
  app.addHook('onRequest', async (_request, reply) => void reply.header('cache-control', 'no-store'));

  app.post(
    '/v1/password/forgot',
    {
      ...operation({
        operationId: 'forgotPassword',
        summary: 'Forgot password: mails a reset link to the account’s confirmed address',
        description:
          'Always 202 with the same body, in the same time, whether or not the account exists or has a confirmed address: ' +
          'the lookup and the mail happen after the answer. Too many requests from one address: 429 with `Retry-After`.',
        tag: 'recovery',
        ...anonymous,
        body: ForgotBody,
        status: 202,
        response: ForgotResponse,
        problems: [400, 403, 415, 422, 429],
      }),
      onResponse: forgotPassword.runAfterAnswer,
    },
    async (request, reply) => {
      const result = await forgotPassword.accept(request, request.body.login);
      if (result.outcome === 'invalid') return sendProblem(reply, 422, 'VALIDATION_FAILED', INVALID_SUBMISSION, { errors: { login: result.error } });
      if (result.outcome === 'throttled') return sendProblem(reply, 429, 'TOO_MANY_ATTEMPTS', 'Too many attempts: wait before trying again.', { retryAfterMs: result.retryAfterMs });
      return reply.code(202).send(FORGOT_ANSWER);
    },
  );

  app.post(
    '/v1/password/reset',
    operation({
      operationId: 'resetPassword',
      summary: 'Set a new password with the token from a reset mail',
      description:
        'Ends every session and revokes every API token of the account, and mails a notice; nobody is logged in. ' +
        'A used, expired, superseded or altered token: 400 `INVALID_MAIL_TOKEN`. A weak password: 422, and the token still works.',
      tag: 'recovery',
      ...anonymous,
      body: ResetBody,
      status: 204,
      problems: [400, 403, 415, 422],
    }),
    async (request, reply) => {
      const result = await passwordReset.complete(request.body.token, request.body.password);
      if (result.outcome === 'invalid-token') return sendProblem(reply, 400, 'INVALID_MAIL_TOKEN', DEAD_LINK);
      if (result.outcome === 'invalid-password') return sendProblem(reply, 422, 'VALIDATION_FAILED', INVALID_SUBMISSION, { errors: { password: result.problem } });
      afterReset(request, result.user.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/email/confirm',
    operation({
      operationId: 'confirmEmail',
      summary: 'Confirm an email address with the token from a confirmation mail',
      description: 'Confirms the address given at signup, or makes a requested change of address. A dead token: 400 `INVALID_MAIL_TOKEN`.',
      tag: 'recovery',
      ...anonymous,
      body: ConfirmEmailBody,
      status: 200,
      response: ConfirmEmailResponse,
      problems: [400, 403, 409, 415],
    }),
    async (request, reply) => {
      const result = await emailVerification.confirm(request.body.token);
      if (result.outcome === 'invalid-token') return sendProblem(reply, 400, 'INVALID_MAIL_TOKEN', DEAD_LINK);
      if (result.outcome === 'email-taken') return sendProblem(reply, 409, 'EMAIL_TAKEN', 'Another account has confirmed that address since.');
      return { email: result.email, changed: result.outcome === 'changed' };
    },
  );

  app.post(
    '/v1/email/verification',
    operation(
      {
        operationId: 'sendVerification',
        summary: 'Mail a new link that confirms your email address',
        description: 'No address: 409 `NO_EMAIL`; already confirmed: 409 `EMAIL_ALREADY_VERIFIED`. A few mails an hour: then 429 with `Retry-After`.',
        tag: 'recovery',
        status: 202,
        response: VerificationResponse,
        problems: [401, 403, 409, 429],
      },
      'POST',
    ),
    async (request, reply) => {
      const user = request.user!;
      const result = await emailVerification.sendVerification(user, { throttle: true });
      if (result.outcome === 'throttled') {
        return sendProblem(reply, 429, 'TOO_MANY_MAILS', 'We sent several links already: wait before asking again, and look in your spam folder.', { retryAfterMs: result.retryAfterMs });
      }
      if (result.outcome === 'no-email') return sendProblem(reply, 409, 'NO_EMAIL', 'Add an email address first (PATCH /api/v1/users/{id}).');
      if (result.outcome === 'already-verified') return sendProblem(reply, 409, 'EMAIL_ALREADY_VERIFIED', 'Your email address is already confirmed.');
      return reply.code(202).send({ sent_to: user.email! });
    },
  );
};

export default recoveryApi;
