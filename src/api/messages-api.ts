import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { validateContent } from '../messages/message-content.js';
import { operation } from './operation.js';
import { sendProblem } from './problem.js';
import { messageJson, pageJson, pageQuery } from './representations.js';
import { Message, MessageBody, MessageParams, PageQuery, pageOf, ref, UserParams } from './schemas.js';
import { requireSelf } from './users-api.js';

const invalidContent = (reply: Parameters<typeof sendProblem>[0], error: string) =>
  sendProblem(reply, 422, 'VALIDATION_FAILED', 'Invalid submission. Please try again.', { errors: { content: error } });

/** Messages: everyone's, a user's, and one; only the author writes, changes or deletes. */
const messagesApi: FastifyPluginAsyncTypebox<AppDeps> = async (app, { users, messages }) => {
  async function ownerOf(id: number) {
    const owner = await users.findById(id);
    if (!owner) throw notFound('user');
    return owner;
  }

  async function messageOf(userId: number, id: number) {
    const message = await messages.find(userId, id);
    if (!message) throw notFound('message');
    return message;
  }

  app.get(
    '/v1/messages',
    operation({ operationId: 'listMessages', summary: "Everyone's messages, newest first", tag: 'messages', public: true, querystring: PageQuery, status: 200, response: pageOf(ref(Message)), problems: [400] }),
    async (request) => pageJson(await messages.listAll(pageQuery(request.query)), (message) => messageJson(message, message.username)),
  );

  app.get(
    '/v1/users/:id/messages',
    operation({
      operationId: 'listUserMessages',
      summary: "A user's messages, newest first",
      tag: 'messages',
      params: UserParams,
      querystring: PageQuery,
      status: 200,
      response: pageOf(ref(Message)),
      problems: [400, 401, 404],
    }),
    async (request) => {
      const owner = await ownerOf(request.params.id);
      return pageJson(await messages.listByUser(owner.id, pageQuery(request.query)), (message) => messageJson(message, owner.username));
    },
  );

  app.post(
    '/v1/users/:id/messages',
    {
      ...operation({
        operationId: 'createMessage',
        summary: 'Write a message (as its author)',
        tag: 'messages',
        params: UserParams,
        body: MessageBody,
        status: 201,
        response: ref(Message),
        problems: [400, 401, 403, 415, 422],
      }),
      preHandler: requireSelf,
    },
    async (request, reply) => {
      const { content, error } = validateContent(request.body);
      if (error) return invalidContent(reply, error);
      const owner = request.user!;
      const message = await messages.create(owner.id, content);
      return reply.code(201).header('location', `/api/v1/users/${owner.id}/messages/${message.id}`).send(messageJson(message, owner.username));
    },
  );

  app.get(
    '/v1/users/:id/messages/:mid',
    operation({ operationId: 'getMessage', summary: 'One message', tag: 'messages', params: MessageParams, status: 200, response: ref(Message), problems: [400, 401, 404] }),
    async (request) => {
      const owner = await ownerOf(request.params.id);
      return messageJson(await messageOf(owner.id, request.params.mid), owner.username);
    },
  );

  app.patch(
    '/v1/users/:id/messages/:mid',
    {
      ...operation(
        {
          operationId: 'updateMessage',
          summary: 'Change your message',
          tag: 'messages',
          params: MessageParams,
          body: MessageBody,
          status: 200,
          response: ref(Message),
          problems: [400, 401, 403, 404, 415, 422],
        },
        'PATCH',
      ),
      preHandler: requireSelf,
    },
    async (request, reply) => {
      const message = await messageOf(request.user!.id, request.params.mid);
      const { content, error } = validateContent(request.body);
      if (error) return invalidContent(reply, error);
      await messages.update(message.userId, message.id, content);
      return messageJson(await messageOf(message.userId, message.id), request.user!.username);
    },
  );

  app.delete(
    '/v1/users/:id/messages/:mid',
    {
      ...operation(
        { operationId: 'deleteMessage', summary: 'Delete your message', tag: 'messages', params: MessageParams, status: 204, problems: [400, 401, 403, 404] },
        'DELETE',
      ),
      preHandler: requireSelf,
    },
    async (request, reply) => {
      if (!(await messages.delete(request.user!.id, request.params.mid))) throw notFound('message');
      return reply.code(204).send();
    },
  );
};

export default messagesApi;
