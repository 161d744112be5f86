import { logSecurityEvent, type SecurityEventHandler } from 'latchkey';
import type { Metrics } from './metrics.js';

/**
 * Where the app's security events go: one structured log line each (Latchkey's default), and
 * the counters of the metrics when they are on.
 *
 * @example
 * await app.register(latchkey, { ...options, onEvent: securityEventSink(metrics) });
 */
export function securityEventSink(metrics: Metrics | null): SecurityEventHandler {
  if (!metrics) return logSecurityEvent;
  return (event, request) => {
    logSecurityEvent(event, request);
    metrics.securityEvent(event.event);
  };
}
