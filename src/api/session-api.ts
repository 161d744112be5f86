import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { API_TOKEN_SCOPES, logOut, securityEvent } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { checkLogin, startSession } from '../users/account-actions.js';
import { operation } from './operation.js';
import { sendProblem } from './problem.js';
import { userJson } from './representations.js';
import { LoginBody, MeResponse, SessionResponse } from './schemas.js';

/** Logging in and out with the session cookie, and who the caller is. */
const sessionApi: FastifyPluginAsyncTypebox<AppDeps> = async (app, deps) => {
  app.post(
    '/v1/session',
    operation({
      operationId: 'logIn',
      summary: 'Log in: sets the session cookie',
      description: 'Wrong username or password: 401, the same for both. Too many failures: 429 with `Retry-After`.',
      tag: 'session',
      public: true,
      cookieOnly: true,
      noCsrfToken: true,
      body: LoginBody,
      status: 200,
      response: SessionResponse,
      problems: [400, 401, 403, 415, 429],
    }),
    async (request, reply) => {
      const { username, password, remember = false } = request.body;
      const result = await checkLogin(deps, request, username.trim(), password);
      if (result.outcome === 'throttled') {
        return sendProblem(reply, 429, 'TOO_MANY_ATTEMPTS', 'Too many failed attempts: wait before trying again.', { retryAfterMs: result.retryAfterMs });
      }
      if (result.outcome === 'wrong') return sendProblem(reply, 401, 'INVALID_CREDENTIALS', 'Invalid credentials. Please try again.');
      await startSession(deps, request, reply, result.user, remember);
      return { user: userJson(result.user), csrf_token: request.csrfToken() };
    },
  );

  app.delete(
    '/v1/session',
    operation({ operationId: 'logOut', summary: 'Log out: ends this session', tag: 'session', public: true, cookieOnly: true, status: 204, problems: [403] }, 'DELETE'),
    async (request, reply) => {
      if (request.user) securityEvent(request, 'logout');
      logOut(request);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/me',
    operation({ operationId: 'getMe', summary: 'The logged-in user, and the CSRF token for the session', tag: 'session', status: 200, response: MeResponse, problems: [401] }),
    async (request) => ({
      user: userJson(request.user!),
      email: request.user!.email,
      email_verified: request.user!.emailVerified,
      csrf_token: request.apiToken ? null : request.csrfToken(),
      scopes: request.apiToken ? [...request.apiToken.scopes] : [...API_TOKEN_SCOPES],
    }),
  );
};

export default sessionApi;
