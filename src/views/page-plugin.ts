import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { SafeHtml } from './html.js';
import { layout } from './layout.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Sends `body` inside the site layout, with the pending flash messages (shown once). */
    page(title: string, body: SafeHtml, statusCode?: number): FastifyReply;
  }
}

const pagePlugin: FastifyPluginAsync = async (app) => {
  app.decorateReply('page', function (title: string, body: SafeHtml, statusCode = 200) {
    const request = this.request;
    const user = request.user ?? null;
    const markup = layout({
      title,
      body,
      user,
      flashes: request.session?.consumeFlashes() ?? [],
      csrfToken: user ? request.csrfToken() : null,
    });
    return this.code(statusCode).type('text/html; charset=utf-8').send(markup);
  });
};

export default fp(pagePlugin, { name: 'latchkey-page' });
