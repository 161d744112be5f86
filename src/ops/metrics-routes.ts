import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from './metrics.js';

/**
 * `GET /metrics` for Prometheus, behind `Authorization: Bearer <METRICS_TOKEN>`, and the one hook
 * that times every request. Registered only when METRICS_TOKEN is set: otherwise the path is a
 * 404 and requests pay nothing.
 */
const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics; token: string }> = async (app, { metrics, token }) => {
  const expected = digest(`Bearer ${token}`);

  app.addHook('onResponse', (request, reply, done) => {
    // the route's pattern, not its URL: one series per route, whatever ids or junk clients send
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // scrapes every few seconds would drown the log: only warnings and errors from this route
  app.get('/metrics', { config: { public: true, sessionless: true }, logLevel: 'warn' }, async (request, reply) => {
    const given = request.headers.authorization;
    // compare digests in constant time: a timing leak would reveal the token byte by byte
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('Send Authorization: Bearer <METRICS_TOKEN>.\n');
    }
    const text = await metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(text);
  });
};

const digest = (text: string) => createHash('sha256').update(text).digest();

export default fp(metricsRoutes, { name: 'latchkey-metrics' });
