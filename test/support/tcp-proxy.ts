import { createServer, type Server, Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /**
   * Stops passing bytes either way (they are held, not lost) and holds new connections unanswered,
   * as a hung server or a network partition does: nothing is refused, nothing comes back.
   */
  pause(): void;
  /** Passes bytes again, what was held first. */
  resume(): void;
  /**
   * Passes bytes again for new connections only: the connections open now stay open but silent
   * for ever (what was held is lost), like a link whose other end vanished without a word. A
   * client that keeps reusing such a connection never recovers.
   */
  abandon(): void;
  /** Cuts every connection (a dropped link). */
  cut(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port in front of `target`, which a test can pause to make the
 * service behind it hang.
 *
 * @example
 * const proxy = await startTcpProxy(5432);
 * const url = `postgres://postgres@127.0.0.1:${proxy.port}/test`;
 * proxy.pause(); // … the app must answer 503 within its deadline …
 * proxy.resume();
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let paused = false;
  let held: Array<[Socket, Buffer]> = [];
  const sockets = new Set<Socket>();
  const silenced = new WeakSet<Socket>();
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (silenced.has(from)) return;
      if (paused) held.push([to, chunk]);
      else to.write(chunk);
    });
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', end).on('close', end);
    }
    forward(client, upstream);
    forward(upstream, client);
    upstream.connect(targetPort, targetHost);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    held = [];
  };
  return {
    port: (server.address() as { port: number }).port,
    pause: () => void (paused = true),
    resume() {
      paused = false;
      const pending = held;
      held = [];
      for (const [to, chunk] of pending) if (!to.destroyed) to.write(chunk);
    },
    abandon() {
      for (const socket of sockets) silenced.add(socket);
      held = [];
      paused = false;
    },
    cut,
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
