import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { SafeHtml } from './html.js';
import { layout } from './layout.js';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * `body` inside the site layout, with the pending flash messages (shown once), and the
     * status and type set: return it from the handler (`return reply.page(…)`).
     */
    page(title: string, body: SafeHtml, statusCode?: number): string;
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
    // the markup, not the reply: a handler that returns the reply (a thenable) makes Fastify wait
    // on the response stream's end with listeners of its own, a measurable cost on every page
    this.code(statusCode).type('text/html; charset=utf-8');
    return markup.toString();
  });
};

export default fp(pagePlugin, { name: 'latchkey-page' });
