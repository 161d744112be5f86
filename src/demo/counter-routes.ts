import type { FastifyPluginAsync } from 'fastify';

const NO_COUNTER = 'No counter set!';
const isPublic = { config: { public: true } };

/** The chapter's session demo: a number kept in the visitor's session. Plain text bodies. */
const counterRoutes: FastifyPluginAsync = async (app) => {
  app.get('/start_counter', isPublic, async (request, reply) => {
    request.session.set('count', 0);
    return reply.type('text/plain; charset=utf-8').send('New counter started!');
  });

  app.get('/count', isPublic, async (request, reply) => {
    const count = request.session.get('count');
    if (typeof count !== 'number') return reply.type('text/plain; charset=utf-8').send(NO_COUNTER);
    request.session.set('count', count + 1);
    return reply.type('text/plain; charset=utf-8').send(String(count + 1));
  });

  app.get('/get_count', isPublic, async (request, reply) => {
    const count = request.session.get('count');
    return reply.type('text/plain; charset=utf-8').send(typeof count === 'number' ? String(count) : NO_COUNTER);
  });

  app.get('/clear_count', isPublic, async (request, reply) => {
    request.session.delete('count');
    return reply.type('text/plain; charset=utf-8').send('Counter cleared!');
  });
};

export default counterRoutes;
