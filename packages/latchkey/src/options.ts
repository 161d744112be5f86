import { logSecurityEvent, type SecurityEventHandler } from './auth/security-events.js';
import { createMemoryThrottleStore, type ThrottleStore } from './auth/throttle-store.js';
import { LatchkeyOptionsError } from './errors.js';
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
export const SESSION_MODES = ['server', 'signed', 'encrypted'] as const;
/**
 * `server`: an opaque id in the cookie, the data in the store. `signed`: the data in a readable,
 * signed cookie. `encrypted`: the data in an encrypted cookie.
 *
 * @example
 * const mode: SessionMode = 'encrypted';
 */
export type SessionMode = (typeof SESSION_MODES)[number];

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
  /** `server` (default: an opaque id, data in the store), `signed` (readable, signed cookie) or `encrypted` (sealed cookie). */
  mode?: SessionMode;
  /** `Secure` cookies with the `__Host-` prefix. Default true; set false only for plain-HTTP development. */
  secure?: boolean;
  /** Cookie names. Defaults: `latchkey_session`, `latchkey_flash`, `latchkey_csrf`, `__Host-`-prefixed when `secure`. */
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
  secure: boolean;
  cookieNames: { session: string; flash: string; csrf: string };
  paths: { login: string | null; afterLogin: string };
  messages: { loginRequired: string; notAuthorized: string };
  timeouts: { idleMs: number; absoluteMs: number; rememberMs: number; rememberIdleMs: number; touchEveryMs: number };
  requireLoginByDefault: boolean;
  csrf: boolean;
  sweepEveryMs: number | false;
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
  const secure = options.secure ?? true;
  const prefix = secure ? '__Host-' : '';
  const cookieNames = {
    session: cookieName(options.cookieNames?.session ?? `${prefix}latchkey_session`, 'cookieNames.session', fail),
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
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') fail('onEvent', 'must be a function (event, request) => void');
  const anonymous = options.anonymousSessions ?? {};
  const perAddress = anonymous.perAddress ?? 60;
  if (!Number.isSafeInteger(perAddress) || perAddress < 1) fail('anonymousSessions.perAddress', 'must be a whole number of sessions, at least 1');
  const anonymousSessions = {
    perAddress,
    windowMs: duration(anonymous.windowMs ?? MINUTE, 'anonymousSessions.windowMs', fail),
    // never longer than a logged-in session's idle limit
    idleMs: Math.min(duration(anonymous.idleMs ?? 5 * MINUTE, 'anonymousSessions.idleMs', fail), idleMs),
    throttleStore: anonymous.throttleStore ?? createMemoryThrottleStore(),
  };
  if (typeof anonymousSessions.throttleStore.limiter !== 'function') fail('anonymousSessions.throttleStore', 'must be a ThrottleStore, e.g. createRedisThrottleStore(redis, prefix)');
  return {
    secrets,
    store,
    users,
    mode,
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
    anonymousSessions,
    onEvent: options.onEvent ?? logSecurityEvent,
    now: options.now ?? Date.now,
  };
}

type Fail = (option: string, problem: string) => never;

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
