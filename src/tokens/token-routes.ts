import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../deps.js';
import { formText } from '../form-body.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { idParam } from '../route-params.js';
import { requireCorrectUser } from '../users/guards.js';
import { replyDevicesPage } from './devices-page.js';
import { issueApiToken } from './token-rules.js';
import { newTokenPage } from './token-views.js';

/**
 * The devices page (`/users/<id>/sessions`) and its API tokens: create one (shown once, on the page
 * that answers the form, never in a flash cookie), revoke one. Only for yourself.
 */
const tokenRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { tokens, now } = deps;
  app.get('/users/:id/sessions', { preHandler: requireCorrectUser }, async (request, reply) => replyDevicesPage(deps, request, reply));

  app.post('/users/:id/tokens', { preHandler: requireCorrectUser }, async (request, reply) => {
    const scopes = ['read', 'write'].filter((scope) => formText(request.body, `scope_${scope}`) === 'on');
    const days = formText(request.body, 'expires_in_days').trim();
    const input = { name: formText(request.body, 'name'), scopes, expiresInDays: /^\d{1,4}$/.test(days) ? Number(days) : Number.NaN };
    const result = await issueApiToken(tokens, request.user!.id, input, now());
    if (!result.ok) {
      request.session.flash('Invalid submission. Please try again.', 'error');
      return replyDevicesPage(deps, request, reply, { name: input.name, scopes, days, errors: result.errors }, result.status);
    }
    return reply.page('Your new API token', newTokenPage(request.user!.id, result.apiToken, result.token));
  });

  overridableRoutes(app, '/users/:id/tokens/:tid', {
    preHandler: [requireCorrectUser],
    handlers: {
      async DELETE(request, reply) {
        const userId = request.user!.id;
        if (!(await tokens.revoke(userId, idParam(request, 'tid')))) throw notFound('token');
        request.session.flash('That token has been revoked.', 'success');
        return reply.redirect(`/users/${userId}/sessions#tokens`);
      },
    },
  });
};

export default tokenRoutes;
