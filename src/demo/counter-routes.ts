import type { FastifyPluginAsync, FastifyReply } from 'fastify';

const NO_COUNTER = 'No counter set!';
const isPublic = { config: { public: true } };

/** The body to return from the handler: returning the reply itself costs Fastify extra work per request. */
function text(reply: FastifyReply, body: string): string {
  reply.type('text/plain; charset=utf-8');
  return body;
}

/** The chapter's session demo: a number kept in the visitor's session. Plain text bodies. */
const counterRoutes: FastifyPluginAsync = async (app) => {
  app.get('/start_counter', isPublic, async (request, reply) => {
    request.session.set('count', 0);
    return text(reply, 'New counter started!');
  });

  app.get('/count', isPublic, async (request, reply) => {
    const count = request.session.get('count');
    if (typeof count !== 'number') return text(reply, NO_COUNTER);
    request.session.set('count', count + 1);
    return text(reply, String(count + 1));
  });

  app.get('/get_count', isPublic, async (request, reply) => {
    const count = request.session.get('count');
    return text(reply, typeof count === 'number' ? String(count) : NO_COUNTER);
  });

  app.get('/clear_count', isPublic, async (request, reply) => {
    request.session.delete('count');
    return text(reply, 'Counter cleared!');
  });
};

export default counterRoutes;
