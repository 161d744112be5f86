import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface ShutdownOptions {
  /** How long idle keep-alive connections stay open, so requests already on their way are served. Default 1 s. */
  graceMs?: number;
  /** When open requests are given up on and their connections closed, counted from the start. */
  timeoutMs: number;
}

export interface ShutdownReport {
  /** Connections still busy at the deadline, closed with their requests unanswered. */
  dropped: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** True once `shutdown()` has begun: `/readyz` says 503 and every response says `Connection: close`. */
    readonly draining: boolean;
    /** Stops the app gracefully (see the plugin), then closes it: stores, database, Redis. */
    shutdown(options: ShutdownOptions): Promise<ShutdownReport>;
  }
}

const CHECK_EVERY_MS = 50;

/**
 * Graceful shutdown for SIGTERM. New connections are refused at once, but open ones are not cut:
 * a request a client had already sent on an idle keep-alive connection is still read and
 * answered, and every response from now on says `Connection: close`, so each connection ends
 * with its last answer. Connections still idle after a short grace are closed; requests in flight
 * finish until the deadline; then the app closes its stores and database.
 */
const shutdownPlugin: FastifyPluginAsync = async (app) => {
  let draining = false;
  app.decorate('draining', { getter: () => draining });
  app.decorate('shutdown', async function shutdown(this: FastifyInstance, { graceMs = 1000, timeoutMs }: ShutdownOptions): Promise<ShutdownReport> {
    const started = Date.now();
    draining = true;
    const server = this.server;
    let dropped = 0;
    if (server.listening) {
      // added only now, so a normal request pays nothing for it
      server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => response.setHeader('connection', 'close'));
      let closed = false;
      const whenClosed = once(server, 'close').then(() => (closed = true));
      // net.Server's close, not http.Server's: the latter also drops idle keep-alive connections at
      // once, and with them any request that was already on its way
      NetServer.prototype.close.call(server);
      await Promise.race([whenClosed, sleep(Math.min(graceMs, timeoutMs))]);
      while (!closed && Date.now() - started < timeoutMs) {
        // idle through the grace, or idle again after a response sent before draining began
        server.closeIdleConnections();
        await Promise.race([whenClosed, sleep(CHECK_EVERY_MS)]);
      }
      if (!closed) {
        dropped = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count)));
        server.closeAllConnections();
      }
    }
    await this.close();
    return { dropped };
  });
};

export default fp(shutdownPlugin, { name: 'latchkey-shutdown' });
