import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireOwner } from 'latchkey';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { deleteAccount, signUp, updateProfile, welcomeNewUser } from '../users/account-actions.js';
import { operation } from './operation.js';
import { sendProblem } from './problem.js';
import { pageJson, pageQuery, userJson } from './representations.js';
import { PageQuery, pageOf, ref, SessionResponse, SignupBody, User, UserDeleteBody, UserParams, UserPatch } from './schemas.js';

/** Only the user named by `{id}` may change or delete it. */
export const requireSelf = requireOwner((request) => (request.params as { id: number }).id);

const tooMany = 'Too many attempts: wait before trying again.';

/** Accounts: sign up, list, read, change, delete. */
const usersApi: FastifyPluginAsyncTypebox<AppDeps> = async (app, deps) => {
  const { users } = deps;

  app.post(
    '/v1/users',
    operation({
      operationId: 'signUp',
      summary: 'Sign up: creates the account and logs it in (session cookie)',
      tag: 'users',
      public: true,
      cookieOnly: true,
      noCsrfToken: true,
      body: SignupBody,
      status: 201,
      response: SessionResponse,
      problems: [400, 403, 409, 415, 422, 429],
    }),
    async (request, reply) => {
      const result = await signUp(deps, request.body, request.ip);
      if (result.outcome === 'throttled') return sendProblem(reply, 429, 'TOO_MANY_SIGNUPS', tooMany, { retryAfterMs: result.retryAfterMs });
      if (result.outcome === 'invalid') {
        const code = result.status === 409 ? (result.errors.email ? 'EMAIL_TAKEN' : 'USERNAME_TAKEN') : 'VALIDATION_FAILED';
        return sendProblem(reply, result.status, code, 'Invalid submission. Please try again.', { errors: result.errors });
      }
      await welcomeNewUser(deps, request, reply, result.user);
      return reply.code(201).send({ user: userJson(result.user), csrf_token: request.csrfToken() });
    },
  );

  app.get(
    '/v1/users',
    operation({ operationId: 'listUsers', summary: 'Everyone, oldest account first', tag: 'users', querystring: PageQuery, status: 200, response: pageOf(ref(User)), problems: [400, 401] }),
    async (request) => pageJson(await users.list(pageQuery(request.query)), userJson),
  );

  app.get(
    '/v1/users/:id',
    operation({ operationId: 'getUser', summary: 'One user', tag: 'users', params: UserParams, status: 200, response: ref(User), problems: [400, 401, 404] }),
    async (request) => {
      const user = await users.findById(request.params.id);
      if (!user) throw notFound('user');
      return userJson(user);
    },
  );

  app.patch(
    '/v1/users/:id',
    {
      ...operation(
        {
          operationId: 'updateUser',
          summary: 'Change your profile; absent fields stay as they are',
          description:
            'A new `password` or `email` needs `current_password`. A new password ends your other sessions and every API token; ' +
            'a new address changes once you follow the link sent to it (`""` removes it).',
          tag: 'users',
          params: UserParams,
          body: UserPatch,
          status: 200,
          response: ref(User),
          problems: [400, 401, 403, 409, 415, 422, 429],
        },
        'PATCH',
      ),
      preHandler: requireSelf,
    },
    async (request, reply) => {
      const user = request.user!;
      const { body } = request;
      const merged = {
        username: body.username ?? user.username,
        first_name: body.first_name ?? user.firstName,
        last_name: body.last_name ?? user.lastName,
        password: body.password ?? '',
        current_password: body.current_password ?? '',
        // absent: the address stays; '' removes it
        ...(body.email === undefined ? {} : { email: body.email }),
      };
      const result = await updateProfile(deps, request, merged);
      if (result.outcome === 'throttled') return sendProblem(reply, 429, 'TOO_MANY_ATTEMPTS', tooMany, { retryAfterMs: result.retryAfterMs });
      if (result.outcome === 'missing') throw notFound('user');
      if (result.outcome === 'invalid') {
        const code = { 403: 'PASSWORD_CONFIRMATION_FAILED', 409: result.errors.email ? 'EMAIL_TAKEN' : 'USERNAME_TAKEN', 422: 'VALIDATION_FAILED' }[result.status];
        return sendProblem(reply, result.status, code, 'Invalid submission. Please try again.', { errors: result.errors });
      }
      return userJson(result.user);
    },
  );

  app.delete(
    '/v1/users/:id',
    {
      ...operation(
        {
          operationId: 'deleteUser',
          summary: 'Delete your account, its messages, sessions and tokens',
          description: 'Needs `current_password` unless the session logged in within FRESH_LOGIN_MINUTES (a bearer token always needs it).',
          tag: 'users',
          params: UserParams,
          body: UserDeleteBody,
          status: 204,
          problems: [400, 401, 403, 415, 429],
        },
        'DELETE',
      ),
      preHandler: requireSelf,
    },
    async (request, reply) => {
      const result = await deleteAccount(deps, request, request.body ?? {});
      if (result.outcome === 'throttled') return sendProblem(reply, 429, 'TOO_MANY_ATTEMPTS', tooMany, { retryAfterMs: result.retryAfterMs });
      if (result.outcome !== 'deleted') {
        const detail = result.outcome === 'missing' ? 'Send current_password to delete your account.' : 'That is not your password.';
        return sendProblem(reply, 403, 'PASSWORD_CONFIRMATION_FAILED', detail, { errors: { current_password: detail } });
      }
      return reply.code(204).send();
    },
  );
};

export default usersApi;
