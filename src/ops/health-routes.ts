import type { FastifyPluginAsync } from 'fastify';
import type { OutageTracker } from 'latchkey';

/** One dependency the app needs to serve requests, and how to ask it whether it answers. */
export interface ReadinessCheck {
  name: string;
  ping(): Promise<void>;
  /** Told of each answer, so a probe also notices an outage starting or ending. */
  outage?: OutageTracker;
}

export interface HealthOptions {
  checks: ReadinessCheck[];
  /** How long a dependency may take to answer before it counts as down. */
  timeoutMs: number;
  /** True once shutdown has begun: the balancer should send no more requests here. */
  draining(): boolean;
}

type Results = Record<string, 'ok' | 'unavailable'>;

// public, no session, no CSRF cookie, and no log line per probe: balancers call these every few seconds
const probe = { config: { public: true, sessionless: true }, logLevel: 'silent' } as const;

/**
 * `GET /healthz`: the process is up (200). `GET /readyz`: every dependency answered within the
 * deadline (200), else 503 naming the one that did not; 503 too while shutting down. Checks that
 * overlap share one round of pings, so a burst of probes costs one query.
 */
const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { checks, timeoutMs, draining }) => {
  let running: Promise<Results> | null = null;

  const checkAll = async (): Promise<Results> => {
    const answers = await Promise.all(checks.map((check) => pingWithin(check, timeoutMs)));
    return Object.fromEntries(checks.map((check, index) => [check.name, answers[index]!]));
  };

  app.get('/healthz', probe, async (_request, reply) => {
    return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('ok\n');
  });

  app.get('/readyz', probe, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (draining()) return reply.code(503).send({ status: 'draining' });
    running ??= checkAll().finally(() => (running = null));
    const results = await running;
    const ready = Object.values(results).every((result) => result === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', ...results });
  });
};

async function pingWithin(check: ReadinessCheck, timeoutMs: number): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${check.name} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.ping(), deadline]);
    check.outage?.succeeded();
    return 'ok';
  } catch (error) {
    check.outage?.failed(error);
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

export default healthRoutes;
