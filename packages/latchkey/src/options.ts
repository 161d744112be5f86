import { logSecurityEvent, type SecurityEventHandler } from './auth/security-events.js';
import { createMemoryThrottleStore, type ThrottleStore } from './auth/throttle-store.js';
import { LatchkeyOptionsError } from './errors.js';
import type { ApiTokenSource } from './auth/api-tokens.js';
import { FLASK_DEFAULT_MAX_AGE_SECONDS } from './sessions/flask/cookie-serializer.js';
import { flaskSecretKeys } from './sessions/flask/secret-keys.js';
import type { SecretKey } from './sessions/flask/timestamp-signer.js';
import type { SessionStore, UserId } from './stores/session-store.js';

/**
 * The logged-in user as your app models it. Latchkey knows nothing of its fields; tell
 * TypeScript what `request.user` is by merging your type in:
 *
 * @example
 * declare module 'latchkey' {
 *   interface LatchkeyUser extends User {}
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LatchkeyUser {}

/**
 * How Latchkey finds the user a session names, once per request. Return null for a user who no
 * longer exists (or is locked out): the session ends with them.
 *
 * @example
 * const users: UserLookup = { findById: async (id) => db.prepare('SELECT id, username FROM users WHERE id = ?').get(id) ?? null };
 */
export interface UserLookup {
  findById(id: UserId): Promise<LatchkeyUser | null>;
}

/**
 * The session modes, for checking configuration: where the session's data lives (see `mode`).
 *
 * @example
 * const mode = SESSION_MODES.find((name) => name === process.env.SESSION_MODE) ?? 'server';
 */
export const SESSION_MODES = ['server', 'signed', 'encrypted', 'flask'] as const;
/**
 * `server`: an opaque id in the cookie, the data in the store. `signed`: the data in a readable,
 * signed cookie. `encrypted`: the data in an encrypted cookie. `flask`: the data in the session
 * cookie of a Flask app beside this one, in Flask's own format.
 *
 * @example
 * const mode: SessionMode = 'encrypted';
 */
export type SessionMode = (typeof SESSION_MODES)[number];

/**
 * Flask mode: the Flask app's session settings, so both apps read and write one cookie.
 *
 * @example
 * const flask: FlaskOptions = { secretKey: process.env.FLASK_SECRET_KEY!, fallbacks: ['the key before'] };
 */
export interface FlaskOptions {
  /** The Flask app's `SECRET_KEY` (any length, text or bytes). */
  secretKey: SecretKey;
  /** Its `SECRET_KEY_FALLBACKS`, oldest first as Flask lists them: they verify, the secret key signs. */
  fallbacks?: readonly SecretKey[];
  /** Its `PERMANENT_SESSION_LIFETIME` in seconds. Default 2678400 (31 days, Flask's). */
  maxAgeSeconds?: number;
  /** The key a login is written under: `user_id` (default, the chapter's) or `_user_id` (Flask-Login). Both are read. */
  userIdKey?: 'user_id' | '_user_id';
  /**
   * Accept a login the Flask app made (a user id with no Latchkey record) and give it a record on
   * its first visit. Default true; set false once logins happen only on Latchkey, so that a copy of
   * a cookie from a Flask login no longer opens Latchkey's pages.
   */
  adoptLogins?: boolean;
}

/**
 * Everything `app.register(latchkey, options)` takes. Only `secrets`, `store` and `users` are
 * required; the defaults are secure.
 *
 * @example
 * const options: LatchkeyOptions = { secrets: [process.env.SECRET_KEY!], store, users, paths: { login: '/login', afterLogin: '/' } };
 */
export interface LatchkeyOptions {
  /** Secret keys, newest first: the first signs, all verify (rotation). Each at least 32 bytes. */
  secrets: readonly string[];
  /** Where sessions live (server mode), or the record of each login (cookie modes). */
  store: SessionStore;
  /** Finds the user a session names, once per request. */
  users: UserLookup;
  /**
   * `server` (default: an opaque id, data in the store), `signed` (readable, signed cookie),
   * `encrypted` (sealed cookie) or `flask` (the cookie of a Flask app beside this one; see `flask`).
   */
  mode?: SessionMode;
  /** Required in `flask` mode: the Flask app's key and session settings. */
  flask?: FlaskOptions;
  /** `Secure` cookies with the `__Host-` prefix. Default true; set false only for plain-HTTP development. */
  secure?: boolean;
  /**
   * Cookie names. Defaults: `latchkey_session`, `latchkey_flash`, `latchkey_csrf`, `__Host-`-prefixed
   * when `secure`; in `flask` mode the session cookie is Flask's `SESSION_COOKIE_NAME`, `session`.
   */
  cookieNames?: { session?: string; flash?: string; csrf?: string };
  /** Where guards send people: the login page (`null`: answer 401 instead) and the page after login. */
  paths?: { login?: string | null; afterLogin?: string };
  /** Flash texts of the guards. */
  messages?: { loginRequired?: string; notAuthorized?: string };
  /** Session lifetimes in milliseconds. */
  timeouts?: { idleMs?: number; absoluteMs?: number; rememberMs?: number; rememberIdleMs?: number };
  /** Every route needs a logged-in user unless its config says `public: true`. Default true. */
  requireLoginByDefault?: boolean;
  /** CSRF tokens on every unsafe request, and Fetch Metadata / Origin checks. Default true. */
  csrf?: boolean;
  /** How often expired sessions are deleted (stores with `sweep`); `false` never. Default 10 minutes. */
  sweepEveryMs?: number | false;
  /** API tokens: routes with `config.apiTokens` accept `Authorization: Bearer`, looked up here. Default: none. */
  apiTokens?: ApiTokenSource;
  /**
   * Server mode: bounds on sessions of visitors who are not logged in, so a flood of cookieless
   * requests cannot fill the store. Defaults: 60 new sessions a minute per client address (then
   * 429 with `Retry-After`), kept 5 minutes idle, counted in this process's memory (pass the
   * Redis throttle store to count across instances).
   */
  anonymousSessions?: { perAddress?: number; windowMs?: number; idleMs?: number; throttleStore?: ThrottleStore };
  /** Receives each security event (`csrf.refused`, and those the app reports). Default: one log line per event. */
  onEvent?: SecurityEventHandler;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}

/**
 * Options with every default filled in and checked: what `app.latchkey.options` holds.
 *
 * @example
 * const loginPage = app.latchkey.options.paths.login ?? '/';
 */
export interface ResolvedOptions {
  secrets: readonly string[];
  store: SessionStore;
  users: UserLookup;
  mode: SessionMode;
  /** Flask mode's settings, keys newest first; null in the other modes. */
  flask: { secretKeys: SecretKey[]; maxAgeSeconds: number; userIdKey: 'user_id' | '_user_id'; adoptLogins: boolean } | null;
  secure: boolean;
  cookieNames: { session: string; flash: string; csrf: string };
  paths: { login: string | null; afterLogin: string };
  messages: { loginRequired: string; notAuthorized: string };
  timeouts: { idleMs: number; absoluteMs: number; rememberMs: number; rememberIdleMs: number; touchEveryMs: number };
  requireLoginByDefault: boolean;
  csrf: boolean;
  sweepEveryMs: number | false;
  apiTokens: ApiTokenSource | null;
  anonymousSessions: { perAddress: number; windowMs: number; idleMs: number; throttleStore: ThrottleStore };
  onEvent: SecurityEventHandler;
  now: () => number;
}

const MIN_SECRET_BYTES = 32;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Checks the options once, at registration; a problem throws a LatchkeyOptionsError naming the option. */
export function resolveOptions(options: LatchkeyOptions): ResolvedOptions {
  const fail = (option: string, problem: string): never => {
    throw new LatchkeyOptionsError(`latchkey option "${option}": ${problem}`);
  };
  if (typeof options !== 'object' || options === null) fail('options', 'pass an object');
  const { secrets, store, users } = options;
  if (!Array.isArray(secrets) || secrets.length === 0) fail('secrets', 'give at least one secret key (newest first)');
  secrets.forEach((secret, index) => {
    if (typeof secret !== 'string' || Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      fail('secrets', `key ${index + 1} must be a string of at least ${MIN_SECRET_BYTES} bytes (try \`openssl rand -hex 32\`)`);
    }
  });
  for (const method of ['get', 'create', 'update', 'delete', 'listUser', 'deleteUser'] as const) {
    if (typeof store?.[method] !== 'function') fail('store', `must be a SessionStore (missing ${method}()); e.g. createSqliteSessionStore(db)`);
  }
  if (typeof users?.findById !== 'function') fail('users', 'must have findById(id) returning the user or null');
  const mode = options.mode ?? 'server';
  if (!SESSION_MODES.includes(mode)) fail('mode', `must be one of ${SESSION_MODES.join(', ')}`);
  const flask = mode === 'flask' ? flaskSettings(options.flask, fail) : null;
  const secure = options.secure ?? true;
  const prefix = secure ? '__Host-' : '';
  const cookieNames = {
    session: cookieName(options.cookieNames?.session ?? (flask ? 'session' : `${prefix}latchkey_session`), 'cookieNames.session', fail),
    flash: cookieName(options.cookieNames?.flash ?? `${prefix}latchkey_flash`, 'cookieNames.flash', fail),
    csrf: cookieName(options.cookieNames?.csrf ?? `${prefix}latchkey_csrf`, 'cookieNames.csrf', fail),
  };
  if (new Set(Object.values(cookieNames)).size !== 3) fail('cookieNames', 'the three cookies need three different names');
  const login = options.paths?.login === undefined ? '/users/login' : options.paths.login;
  if (login !== null) localPath(login, 'paths.login', fail);
  const afterLogin = localPath(options.paths?.afterLogin ?? '/users/welcome', 'paths.afterLogin', fail);
  const timeouts = options.timeouts ?? {};
  const idleMs = duration(timeouts.idleMs ?? 30 * MINUTE, 'timeouts.idleMs', fail);
  const absoluteMs = duration(timeouts.absoluteMs ?? 12 * 60 * MINUTE, 'timeouts.absoluteMs', fail);
  const rememberMs = duration(timeouts.rememberMs ?? 30 * DAY, 'timeouts.rememberMs', fail);
  const rememberIdleMs = duration(timeouts.rememberIdleMs ?? Math.min(7 * DAY, rememberMs), 'timeouts.rememberIdleMs', fail);
  if (idleMs > absoluteMs) fail('timeouts.idleMs', 'cannot be longer than timeouts.absoluteMs');
  const sweepEveryMs = options.sweepEveryMs ?? 10 * MINUTE;
  if (sweepEveryMs !== false) duration(sweepEveryMs, 'sweepEveryMs', fail);
  if (options.now !== undefined && typeof options.now !== 'function') fail('now', 'must be a function returning milliseconds');
  const apiTokens = options.apiTokens ?? null;
  if (apiTokens !== null && (typeof apiTokens.findByHash !== 'function' || typeof apiTokens.markUsed !== 'function')) {
    fail('apiTokens', 'must have findByHash(tokenHash) and markUsed(id, at)');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') fail('onEvent', 'must be a function (event, request) => void');
  const anonymous = options.anonymousSessions ?? {};
  const perAddress = anonymous.perAddress ?? 60;
  if (!Number.isSafeInteger(perAddress) || perAddress < 1) fail('anonymousSessions.perAddress', 'must be a whole number of sessions, at least 1');
  const anonymousSessions = {
    perAddress,
    windowMs: duration(anonymous.windowMs ?? MINUTE, 'anonymousSessions.windowMs', fail),
    // never longer than a logged-in session's idle limit
    idleMs: Math.min(duration(anonymous.idleMs ?? 5 * MINUTE, 'anonymousSessions.idleMs', fail), idleMs),
    throttleStore: anonymous.throttleStore ?? createMemoryThrottleStore({ now: options.now ?? Date.now }),
  };
  if (typeof anonymousSessions.throttleStore.limiter !== 'function') fail('anonymousSessions.throttleStore', 'must be a ThrottleStore, e.g. createRedisThrottleStore(redis, prefix)');
  return {
    secrets,
    store,
    users,
    mode,
    flask,
    secure,
    cookieNames,
    paths: { login, afterLogin },
    messages: {
      loginRequired: text(options.messages?.loginRequired ?? 'Please log in first', 'messages.loginRequired', fail),
      notAuthorized: text(options.messages?.notAuthorized ?? 'Not Authorized', 'messages.notAuthorized', fail),
    },
    // the idle deadline moves at most once a minute: not one store write per request
    timeouts: { idleMs, absoluteMs, rememberMs, rememberIdleMs, touchEveryMs: Math.min(MINUTE, idleMs / 10) },
    requireLoginByDefault: options.requireLoginByDefault ?? true,
    csrf: options.csrf ?? true,
    sweepEveryMs,
    apiTokens,
    anonymousSessions,
    onEvent: options.onEvent ?? logSecurityEvent,
    now: options.now ?? Date.now,
  };
}

type Fail = (option: string, problem: string) => never;

function flaskSettings(flask: FlaskOptions | undefined, fail: Fail): NonNullable<ResolvedOptions['flask']> {
  if (typeof flask !== 'object' || flask === null) fail('flask', 'mode "flask" needs { secretKey: the Flask app\'s SECRET_KEY }');
  const { secretKey, fallbacks = [], maxAgeSeconds = FLASK_DEFAULT_MAX_AGE_SECONDS, userIdKey = 'user_id', adoptLogins = true } = flask!;
  if (!isSecretKey(secretKey)) fail('flask.secretKey', 'must be the Flask app\'s SECRET_KEY: a non-empty string or byte array');
  if (!Array.isArray(fallbacks) || !fallbacks.every(isSecretKey)) fail('flask.fallbacks', 'must be a list of non-empty strings or byte arrays (SECRET_KEY_FALLBACKS, oldest first)');
  if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds <= 0) fail('flask.maxAgeSeconds', 'must be a whole number of seconds (PERMANENT_SESSION_LIFETIME; Flask\'s default is 2678400)');
  if (userIdKey !== 'user_id' && userIdKey !== '_user_id') fail('flask.userIdKey', 'must be "user_id" or "_user_id" (Flask-Login)');
  if (typeof adoptLogins !== 'boolean') fail('flask.adoptLogins', 'must be true or false');
  return { secretKeys: flaskSecretKeys(secretKey, fallbacks), maxAgeSeconds, userIdKey, adoptLogins };
}

function isSecretKey(key: unknown): key is SecretKey {
  return (typeof key === 'string' || key instanceof Uint8Array) && key.length > 0;
}

function cookieName(name: string, option: string, fail: Fail): string {
  // RFC 6265 token characters: anything else breaks the Cookie header
  if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) fail(option, 'must be a cookie name (letters, digits, - _ . and a few symbols)');
  return name;
}

function localPath(path: unknown, option: string, fail: Fail): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) fail(option, 'must be a path on this site, starting with one /');
  return path as string;
}

function duration(ms: unknown, option: string, fail: Fail): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) fail(option, 'must be a positive number of milliseconds');
  return ms as number;
}

function text(value: unknown, option: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '') fail(option, 'must be a non-empty string');
  return value as string;
}
