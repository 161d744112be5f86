import { userInfo } from 'node:os';

/**
 * The user a `postgres://` URL connects as when it names none, chosen as libpq (psql) chooses it:
 * `PGUSER`, then the operating-system user, then `postgres`. `pg` alone would read only `PGUSER`
 * and `$USER`, and with both unset (a container, a systemd unit) send no user at all.
 *
 * @example
 * defaultPostgresUser({ PGUSER: 'app' }); // 'app'
 */
export function defaultPostgresUser(env: NodeJS.ProcessEnv = process.env, osUser: () => string = () => userInfo().username): string {
  if (env.PGUSER) return env.PGUSER;
  try {
    const name = osUser();
    if (name) return name;
  } catch {
    // no passwd entry for this uid (common in containers): libpq would give up here, we go on
  }
  return 'postgres';
}

/** The user a URL names, in its authority or as `?user=`; null when it names none. */
export function postgresUserOf(url: string): string | null {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed) return null;
  return parsed.username ? decodeURIComponent(parsed.username) : parsed.searchParams.get('user') || null;
}

/**
 * The URL with the default user written in when it names none, so every connection of the pool
 * sends the same user whatever the environment of the moment.
 *
 * @example
 * withPostgresUser('postgres://127.0.0.1/test', { PGUSER: 'app' }); // 'postgres://app@127.0.0.1/test'
 */
export function withPostgresUser(url: string, env: NodeJS.ProcessEnv = process.env, osUser?: () => string): string {
  if (!URL.canParse(url) || postgresUserOf(url) !== null) return url; // a malformed URL is pg's to report
  const parsed = new URL(url);
  const user = defaultPostgresUser(env, osUser);
  // a URL without a host (a Unix socket given as ?host=) has no place for a user name but the query
  if (parsed.host) parsed.username = encodeURIComponent(user);
  else parsed.searchParams.set('user', user);
  return parsed.toString();
}

/**
 * Why a Postgres connection failed, in words that say what to change: a login refused for a user
 * the URL did not name says which user was tried and how to name another.
 */
export function explainPostgresFailure(error: unknown, url: string, usedUrl: string): string {
  // Node's dual-stack connect fails with an AggregateError whose own message is empty
  const errors = (error as { errors?: unknown } | null)?.errors;
  const message = (error as Error | null)?.message || (Array.isArray(errors) ? errors.map((inner: Error) => inner.message).join('; ') : '') || String(error);
  const reason = message.replace(/\s+/g, ' ').trim();
  const code = (error as { code?: unknown } | null)?.code;
  // 28000 invalid_authorization_specification (no such role), 28P01 invalid_password
  if (postgresUserOf(url) === null && (code === '28000' || code === '28P01')) {
    return `${reason}; the URL names no user, so "${postgresUserOf(usedUrl)}" was tried (PGUSER, else the system user): name one in DATABASE_URL (postgres://USER@host/db) or set PGUSER`;
  }
  return reason;
}
