import type { FastifyRequest } from 'fastify';
import type { UserId } from '../stores/session-store.js';

/**
 * The security events Latchkey and its apps report. Latchkey itself emits `csrf.refused`; the
 * others are the app's to emit where they happen (`securityEvent(request, 'login.failed', …)`).
 * Any other name of the form `thing.happened` may be used too.
 *
 * @example
 * const name: SecurityEventName = 'login.failed';
 */
export type SecurityEventName =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'logout'
  | 'signup'
  | 'password.changed'
  | 'sessions.ended'
  | 'account.deleted'
  | 'csrf.refused'
  | (string & {});

/**
 * One security event, as logged. It names who and from where, never with what: no password,
 * token, cookie value or session id ever goes in; `session` is the session's public handle.
 *
 * @example
 * const event: SecurityEvent = { event: 'login.failed', username: 'alice', ip: '203.0.113.7' };
 */
export interface SecurityEvent {
  event: SecurityEventName;
  /** The user the event is about, when known. */
  userId?: UserId;
  /** The username someone tried, for events without a known user (a failed login). */
  username?: string;
  /** The client's address (`request.ip`: set Fastify's `trustProxy` behind a proxy). */
  ip: string;
  /** The public handle of the session (the one shown on the devices page). */
  session?: string;
  /** A short machine-readable reason, where one helps (`password-confirmation`). */
  reason?: string;
}

/**
 * Receives every security event (the plugin's `onEvent` option); the default writes one
 * structured log line per event.
 *
 * @example
 * const onEvent: SecurityEventHandler = (event, request) => {
 *   logSecurityEvent(event, request);
 *   if (event.event === 'login.failed') failedLogins.inc();
 * };
 */
export type SecurityEventHandler = (event: SecurityEvent, request: FastifyRequest) => void;

const REFUSALS = new Set(['login.failed', 'login.throttled', 'csrf.refused']);
const MAX_USERNAME_CHARACTERS = 100;

/**
 * The default handler: one JSON line through the request's logger, `warn` for refusals and
 * `info` for the rest, with the event's name as the message:
 * `{"level":40,"event":"login.failed","username":"alice","ip":"203.0.113.7","msg":"login.failed"}`.
 *
 * @example
 * await app.register(latchkey, { ...options, onEvent: (event, request) => { logSecurityEvent(event, request); count(event) } });
 */
export function logSecurityEvent(event: SecurityEvent, request: FastifyRequest): void {
  if (REFUSALS.has(event.event)) request.log.warn(event, event.event);
  else request.log.info(event, event.event);
}

/**
 * Reports a security event about this request to the plugin's `onEvent` handler, filling in the
 * client address, the session's public handle and its user. Pass the user id for events about a
 * user who is not (or no longer) the session's, and the attempted username for failed logins.
 *
 * @example
 * const user = await credentials.verifyCredentials(username, password);
 * if (!user) securityEvent(request, 'login.failed', { username });
 */
export function securityEvent(
  request: FastifyRequest,
  event: SecurityEventName,
  details: { userId?: UserId; username?: string; reason?: string } = {},
): void {
  const session = request.session;
  const userId = details.userId ?? session?.userId ?? undefined;
  const report: SecurityEvent = { event, ip: request.ip };
  if (userId !== undefined && userId !== null) report.userId = userId;
  if (details.username !== undefined) report.username = [...details.username].slice(0, MAX_USERNAME_CHARACTERS).join('');
  if (session?.handle) report.session = session.handle;
  if (details.reason !== undefined) report.reason = details.reason;
  const handler = request.server.latchkey.options.onEvent;
  try {
    handler(report, request);
  } catch (error) {
    request.log.error({ err: error, event }, 'the security event handler failed');
  }
}
