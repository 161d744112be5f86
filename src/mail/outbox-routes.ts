import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '../http-error.js';
import { listOutbox, readOutboxMail } from './outbox.js';
import { outboxMailPage, outboxPage } from './outbox-views.js';

/**
 * The HTML part is shown as the mail program would, but nothing in it may run or load: its inline
 * styles are all it gets, inside a sandbox.
 */
const MAIL_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
const isPublic = { config: { public: true } };

/**
 * /dev/outbox: the mail of a development server without SMTP_URL, so a newcomer can follow a
 * reset link from `npm start` alone. Registered only outside production.
 */
const outboxRoutes: FastifyPluginAsync<{ dir: string }> = async (app, { dir }) => {
  app.get('/dev/outbox', isPublic, async (_request, reply) => reply.page('Outbox', outboxPage(await listOutbox(dir), dir)));

  app.get<{ Params: { id: string } }>('/dev/outbox/:id', isPublic, async (request, reply) => {
    const mail = await readOutboxMail(dir, request.params.id);
    if (!mail) throw notFound('mail');
    return reply.header('cache-control', 'no-store').page(mail.subject, outboxMailPage(mail));
  });

  app.get<{ Params: { id: string } }>('/dev/outbox/:id/html', isPublic, async (request, reply) => {
    const mail = await readOutboxMail(dir, request.params.id);
    if (!mail) throw notFound('mail');
    return reply.header('content-security-policy', MAIL_HTML_POLICY).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(mail.html);
  });
};

export default outboxRoutes;
