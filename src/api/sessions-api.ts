import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { securityEvent } from 'latchkey';
import { Type } from 'typebox';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { operation } from './operation.js';
import { sessionJson } from './representations.js';
import { DeviceSession, HandleParams, ref } from './schemas.js';

/** The devices page as JSON: where you are logged in; end one session, or all but this one. */
const sessionsApi: FastifyPluginAsyncTypebox<AppDeps> = async (app) => {
  app.get(
    '/v1/sessions',
    operation({
      operationId: 'listSessions',
      summary: 'Where you are logged in, most recently seen first',
      tag: 'sessions',
      status: 200,
      response: Type.Object({ items: Type.Array(ref(DeviceSession)) }),
      problems: [401],
    }),
    async (request) => ({ items: (await app.latchkey.listMySessions(request)).map(sessionJson) }),
  );

  app.delete(
    '/v1/sessions/:handle',
    operation({ operationId: 'endSession', summary: 'End one of your sessions', tag: 'sessions', params: HandleParams, status: 204, problems: [400, 401, 403, 404] }, 'DELETE'),
    async (request, reply) => {
      if (!(await app.latchkey.sessions.end(request.user!.id, request.params.handle))) throw notFound('session');
      securityEvent(request, 'sessions.ended', { reason: 'one' });
      return reply.code(204).send();
    },
  );

  app.delete(
    '/v1/sessions',
    operation(
      {
        operationId: 'endOtherSessions',
        summary: 'End all your sessions but this one',
        description: 'With a bearer token there is no "this one": every session ends.',
        tag: 'sessions',
        status: 204,
        problems: [401, 403],
      },
      'DELETE',
    ),
    async (request, reply) => {
      await app.latchkey.endMyOtherSessions(request);
      securityEvent(request, 'sessions.ended', { reason: 'all-others' });
      return reply.code(204).send();
    },
  );
};

export default sessionsApi;
