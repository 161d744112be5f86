import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { redactTokens } from '../recovery/token-paths.js';

/**
 * Fastify's own request log lines, Latchkey's way: at most one line per request, written when
 * it completes (Fastify writes two: one on arrival, one on completion), and none for a request
 * that went well when the access log is off. A request that fails is always logged, and so are
 * security events and outages (they do not come through here).
 *
 * Off is the production default: behind a proxy (docs/deploying.md) nginx keeps the access log
 * already, and the line costs a measurable share of a small request's CPU (bench/README.md).
 *
 * @example
 * Fastify({ logger: true, logController: new AccessLog({ on: config.accessLog }) });
 */
export class AccessLog extends LogController {
  readonly on: boolean;

  constructor({ on }: { on: boolean }) {
    super();
    this.on = on;
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTime = Math.round(reply.elapsedTime * 10) / 10;
    if (error) {
      reply.log.error({ err: error, method: request.method, url: redactTokens(request.url), statusCode: reply.statusCode, responseTime }, 'request errored');
    } else if (this.on) {
      // flat fields, no serializers: the line costs one JSON write
      request.log.info({ method: request.method, url: redactTokens(request.url), statusCode: reply.statusCode, ip: request.ip, responseTime }, 'request completed');
    }
  }

  override routeNotFound(request: FastifyRequest, reply: FastifyReply): void {
    if (this.on) super.routeNotFound(request, reply);
  }
}
