import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * Helmet's headers, worked out once at boot. Helmet's own middleware re-derives every header on
 * every request (the Content-Security-Policy string included), which measured as half the
 * throughput of a static file; our policy has no per-request parts (no nonces), so the result
 * is the same for every response.
 */
export function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A stricter Referrer-Policy for this route's responses than the site's `same-origin`: pages
     * whose address holds a secret (a password-reset link) say `no-referrer`, so not even a
     * request for our own style sheet carries the secret in its Referer.
     */
    referrerPolicy?: 'no-referrer';
  }
}

/**
 * Sets the security headers on every response, error pages and 404s included. A route may ask for
 * a stricter Referrer-Policy with `config: { referrerPolicy: 'no-referrer' }`.
 */
const securityHeaders: FastifyPluginAsync<{ hsts: boolean }> = async (app, { hsts }) => {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: hsts,
    // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on our own forms
    referrerPolicy: { policy: 'same-origin' },
  });
  // a callback-style hook: nothing here waits, so no promise per request
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    const referrerPolicy = request.routeOptions.config.referrerPolicy;
    if (referrerPolicy) reply.header('referrer-policy', referrerPolicy);
    done();
  });
};

export default fp(securityHeaders, { name: 'latchkey-security-headers' });
