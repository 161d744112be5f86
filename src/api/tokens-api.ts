import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { DEFAULT_TOKEN_DAYS, issueApiToken } from '../tokens/token-rules.js';
import { operation } from './operation.js';
import { sendProblem } from './problem.js';
import { tokenJson } from './representations.js';
import { ApiToken, NewApiToken, ref, TokenBody, TokenParams } from './schemas.js';

/** Your API tokens: list, create (the token is shown once), revoke. */
const tokensApi: FastifyPluginAsyncTypebox<AppDeps> = async (app, { tokens, now }) => {
  app.get(
    '/v1/tokens',
    operation({
      operationId: 'listTokens',
      summary: 'Your API tokens, newest first, with their last use',
      tag: 'tokens',
      status: 200,
      response: Type.Object({ items: Type.Array(ref(ApiToken)) }),
      problems: [401],
    }),
    async (request) => ({ items: (await tokens.listByUser(request.user!.id)).map(tokenJson) }),
  );

  app.post(
    '/v1/tokens',
    operation({
      operationId: 'createToken',
      summary: 'Create an API token',
      description:
        'Only with the session cookie: a token cannot mint tokens (a stolen one could otherwise outlive its expiry or widen its scopes). ' +
        'The token is in this response and nowhere else, ever. A new password revokes every token.',
      tag: 'tokens',
      cookieOnly: true,
      body: TokenBody,
      status: 201,
      response: ref(NewApiToken),
      problems: [400, 401, 403, 409, 415, 422],
    }),
    async (request, reply) => {
      const { name, scopes, expires_in_days: days = DEFAULT_TOKEN_DAYS } = request.body;
      const result = await issueApiToken(tokens, request.user!.id, { name, scopes, expiresInDays: days }, now());
      if (!result.ok) {
        const code = result.status === 409 ? 'TOO_MANY_TOKENS' : 'VALIDATION_FAILED';
        return sendProblem(reply, result.status, code, 'Invalid submission. Please try again.', { errors: result.errors });
      }
      const { apiToken, token } = result;
      return reply.code(201).send({ id: apiToken.id, name: apiToken.name, scopes: apiToken.scopes, expires_at: apiToken.expiresAt, token });
    },
  );

  app.delete(
    '/v1/tokens/:id',
    operation({ operationId: 'revokeToken', summary: 'Revoke an API token', tag: 'tokens', params: TokenParams, status: 204, problems: [400, 401, 403, 404] }, 'DELETE'),
    async (request, reply) => {
      if (!(await tokens.revoke(request.user!.id, request.params.id))) throw notFound('token');
      return reply.code(204).send();
    },
  );
};

export default tokensApi;
