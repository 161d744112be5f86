import type { UserId } from '../stores/session-store.js';
import type { Credentials } from './credentials.js';
import type { LoginThrottle } from './login-throttle.js';

/**
 * What `confirmPassword` found: the password was right, empty, wrong, or not checked because
 * of too many recent failures.
 *
 * @example
 * const result: Confirmation = await confirmPassword(deps, user, password, request.ip);
 * if (result.outcome === 'throttled') reply.header('retry-after', Math.ceil(result.retryAfterMs / 1000));
 */
export type Confirmation = { outcome: 'confirmed' | 'missing' | 'wrong' } | { outcome: 'throttled'; retryAfterMs: number };

/**
 * Checks the password a logged-in user typed again before a dangerous act. It goes through the
 * login throttle like any login, so a stolen session cannot guess the password here instead.
 *
 * @example
 * const { outcome } = await confirmPassword({ credentials, loginThrottle }, request.user, body.password, request.ip);
 * if (outcome === 'confirmed') await deleteAccount(request.user.id);
 */
export async function confirmPassword<User extends { id: UserId; username: string }>(
  { credentials, loginThrottle }: { credentials: Credentials<User>; loginThrottle: LoginThrottle },
  user: User,
  password: string,
  ip: string,
): Promise<Confirmation> {
  if (password === '') return { outcome: 'missing' };
  const attempt = await loginThrottle.attempt(user.username, ip);
  if (!attempt.allowed) return { outcome: 'throttled', retryAfterMs: attempt.retryAfterMs };
  const confirmed = (await credentials.verifyCredentials(user.username, password))?.id === user.id;
  await (confirmed ? attempt.succeeded() : attempt.failed());
  return { outcome: confirmed ? 'confirmed' : 'wrong' };
}
