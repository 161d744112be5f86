import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** What the app counts; each instance has its own registry (tests build several apps). */
export interface Metrics {
  readonly registry: Registry;
  /** One finished request: the route's pattern (`/users/:id`, never the URL), method, status, seconds. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** A security event by name (`login.failed`, …): logins are also counted by outcome. */
  securityEvent(name: string): void;
  /** One session-store call, how long it took, and whether it failed. */
  storeCall(operation: string, seconds: number, failed: boolean): void;
  sessionCreated(): void;
  /** `session`: one session ended; `user`: all of a user's sessions (their number is not known). */
  sessionsEnded(scope: 'session' | 'user'): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const LOGIN_OUTCOMES: Record<string, string> = { 'login.succeeded': 'ok', 'login.failed': 'failed', 'login.throttled': 'throttled' };
const EVENTS = new Set(['login.succeeded', 'login.failed', 'login.throttled', 'logout', 'signup', 'password.changed', 'sessions.ended', 'account.deleted', 'csrf.refused']);

/**
 * Prometheus metrics (prom-client): requests by route and status with latency histograms, logins
 * by outcome, security events, sessions created and ended, session-store latency and errors,
 * and the process's own (CPU, memory, event-loop delay, GC). Every label has a small, fixed set
 * of values, so the number of series stays bounded whatever clients send.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.request('/users/:id', 'GET', 200, 0.004);
 * await metrics.registry.metrics(); // the text a scrape gets
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Requests by route pattern, method and status, and how long they took',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new Counter({ name: 'latchkey_logins_total', help: 'Login attempts by outcome (ok, failed, throttled)', labelNames: ['outcome'] as const, registers: [registry] });
  const events = new Counter({ name: 'latchkey_security_events_total', help: 'Security events by name', labelNames: ['event'] as const, registers: [registry] });
  const created = new Counter({ name: 'latchkey_sessions_created_total', help: 'Sessions created (server mode) or logins recorded (cookie modes)', registers: [registry] });
  const ended = new Counter({
    name: 'latchkey_sessions_ended_total',
    help: 'Sessions ended: scope="session" one at a time, scope="user" all of one user at once',
    labelNames: ['scope'] as const,
    registers: [registry],
  });
  const storeDuration = new Histogram({
    name: 'latchkey_session_store_duration_seconds',
    help: 'Session-store calls by operation, and how long they took',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const storeErrors = new Counter({ name: 'latchkey_session_store_errors_total', help: 'Session-store calls that failed or missed their deadline', labelNames: ['operation'] as const, registers: [registry] });

  return {
    registry,
    request(route, method, status, seconds) {
      requests.observe({ route, method: METHODS.has(method) ? method : 'other', status: String(status) }, seconds);
    },
    securityEvent(name) {
      events.inc({ event: EVENTS.has(name) ? name : 'other' });
      const outcome = LOGIN_OUTCOMES[name];
      if (outcome) logins.inc({ outcome });
    },
    storeCall(operation, seconds, failed) {
      storeDuration.observe({ operation }, seconds);
      if (failed) storeErrors.inc({ operation });
    },
    sessionCreated: () => created.inc(),
    sessionsEnded: (scope) => ended.inc({ scope }),
  };
}
