import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, RouteHandlerMethod } from 'fastify';
import { HttpError } from './http-error.js';

type Handlers = Partial<Record<'PATCH' | 'DELETE', RouteHandlerMethod>>;

/**
 * Registers PATCH and DELETE handlers for a URL, and a POST that browsers' forms can reach them
 * through, with `?_method=PATCH` in the action or a `_method` form field. The same guards run
 * either way.
 */
export function overridableRoutes(
  app: FastifyInstance,
  url: string,
  options: { preHandler: preHandlerAsyncHookHandler[]; handlers: Handlers },
): void {
  const { preHandler, handlers } = options;
  for (const [method, handler] of Object.entries(handlers)) {
    app.route({ method, url, preHandler, handler });
  }
  app.post(url, { preHandler }, async function (request: FastifyRequest, reply: FastifyReply) {
    const method = requestedMethod(request);
    const handler = method ? handlers[method] : undefined;
    if (!handler) {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'This form asked for something this page does not do.');
    }
    return handler.call(this, request, reply);
  });
}

function requestedMethod(request: FastifyRequest): 'PATCH' | 'DELETE' | null {
  const query = request.query as Record<string, unknown>;
  const body = request.body as Record<string, unknown> | undefined;
  const wanted = query._method ?? body?._method;
  const method = typeof wanted === 'string' ? wanted.toUpperCase() : '';
  return method === 'PATCH' || method === 'DELETE' ? method : null;
}
