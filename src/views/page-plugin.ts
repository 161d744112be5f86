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
    const flashes = request.session?.consumeFlashes() ?? [];
    const markup = layout({
      title,
      body,
      user,
      flashes,
      csrfToken: user ? request.csrfToken() : null,
      currentPath: request.url,
      // screen reader users hear the title first: say at once that the submission failed
      failed: statusCode >= 400 && flashes.some((flash) => flash.category === 'error'),
    });
    return this.code(statusCode).type('text/html; charset=utf-8').send(markup);
  });
};

export default fp(pagePlugin, { name: 'latchkey-page' });
