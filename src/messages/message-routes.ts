import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { overridableRoutes } from '../method-override.js';
import { idParam } from '../route-params.js';
import { requireCorrectUser } from '../users/guards.js';
import { cursorParam, PAGE_SIZE } from '../views/pager.js';
import { validateContent } from './message-content.js';
import { allMessagesPage, deleteMessagePage, messageFormPage, messagePage, userMessagesPage } from './message-views.js';

/** Anyone logged in may read a user's messages; only their owner may write, change or delete them. */
const messageRoutes: FastifyPluginAsync<AppDeps> = async (app, { users, messages }) => {
  async function ownerFrom(request: FastifyRequest) {
    const owner = await users.findById(idParam(request));
    if (!owner) throw notFound('user');
    return owner;
  }

  async function messageFrom(request: FastifyRequest) {
    const message = await messages.find(idParam(request), idParam(request, 'mid'));
    if (!message) throw notFound('message');
    return message;
  }

  app.get('/messages', { config: { public: true } }, async (request, reply) => {
    const page = await messages.listAll({ limit: PAGE_SIZE, cursor: cursorParam(request) });
    return reply.page('Messages', allMessagesPage(page, request.user !== null));
  });

  app.get('/users/:id/messages', async (request, reply) => {
    const owner = await ownerFrom(request);
    const page = await messages.listByUser(owner.id, { limit: PAGE_SIZE, cursor: cursorParam(request) });
    return reply.page('Messages', userMessagesPage(request, owner, page));
  });

  app.post('/users/:id/messages', { preHandler: requireCorrectUser }, async (request, reply) => {
    const owner = request.user!;
    const { content, error } = validateContent(request.body);
    if (error) {
      request.session.flash('Invalid submission. Please try again.', 'error');
      const page = messageFormPage(request, { title: 'New message', action: `/users/${owner.id}/messages`, method: 'POST', content, errors: { content: error } });
      return reply.page('New message', page, 422);
    }
    await messages.create(owner.id, content);
    request.session.flash('Message Created!', 'success');
    return reply.redirect(`/users/${owner.id}/messages`);
  });

  app.get('/users/:id/messages/new', { preHandler: requireCorrectUser }, async (request, reply) => {
    const page = messageFormPage(request, { title: 'New message', action: `/users/${request.user!.id}/messages`, method: 'POST' });
    return reply.page('New message', page);
  });

  app.get('/users/:id/messages/:mid', async (request, reply) => {
    const owner = await ownerFrom(request);
    return reply.page('Message', messagePage(request, owner, await messageFrom(request)));
  });

  app.get('/users/:id/messages/:mid/edit', { preHandler: requireCorrectUser }, async (request, reply) => {
    const message = await messageFrom(request);
    const action = `/users/${message.userId}/messages/${message.id}`;
    return reply.page('Edit message', messageFormPage(request, { title: 'Edit message', action, method: 'PATCH', content: message.content }));
  });

  app.get('/users/:id/messages/:mid/delete', { preHandler: requireCorrectUser }, async (request, reply) => {
    return reply.page('Delete message', deleteMessagePage(request, await messageFrom(request)));
  });

  overridableRoutes(app, '/users/:id/messages/:mid', {
    preHandler: [requireCorrectUser],
    handlers: {
      async PATCH(request, reply) {
        const message = await messageFrom(request);
        const { content, error } = validateContent(request.body);
        if (error) {
          request.session.flash('Invalid submission. Please try again.', 'error');
          const action = `/users/${message.userId}/messages/${message.id}`;
          const page = messageFormPage(request, { title: 'Edit message', action, method: 'PATCH', content, errors: { content: error } });
          return reply.page('Edit message', page, 422);
        }
        await messages.update(message.userId, message.id, content);
        request.session.flash('Message Updated!', 'success');
        return reply.redirect(`/users/${message.userId}/messages`);
      },
      async DELETE(request, reply) {
        const message = await messageFrom(request);
        await messages.delete(message.userId, message.id);
        request.session.flash('Message Deleted!', 'success');
        return reply.redirect(`/users/${message.userId}/messages`);
      },
    },
  });
};

export default messageRoutes;
