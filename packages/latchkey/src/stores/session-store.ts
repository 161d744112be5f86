import type { SessionData } from '../session-data.js';

/**
 * A user's id as the app knows it: a number (an integer key) or a string (a UUID). Stores keep
 * the type: `42` and `"42"` are different users.
 *
 * @example
 * logIn(request, user.id satisfies UserId);
 */
export type UserId = number | string;

/**
 * A session as a store keeps it. Times are milliseconds since the epoch.
 *
 * @example
 * const session: StoredSession = {
 *   userId: 42, data: { theme: 'dark' }, createdAt: now, lastSeenAt: now, expiresAt: now + 30 * 60_000,
 *   handle: 'a1b2c3', remember: false, userAgent: 'Firefox', ip: '192.0.2.1',
 * };
 * await store.create(key, session);
 */
export interface StoredSession {
  userId: UserId | null;
  /** The session's data in server mode; `{}` for the record a cookie mode keeps of a login. */
  data: SessionData;
  createdAt: number;
  lastSeenAt: number;
  /** When the session ends unless touched: the idle deadline, capped by the absolute one. */
  expiresAt: number;
  /** A public name for the session (devices page, "end this session"); never the secret id. */
  handle: string;
  /** Logged in with "remember me". */
  remember: boolean;
  userAgent: string;
  ip: string;
}

/**
 * A write to an existing session. Only what changed travels: keys set and unset are merged into
 * what the store holds now, so two requests that change different keys both keep their change.
 * A patch with no data (`set`, `unset`, `replace` all absent) only moves the deadlines (a touch).
 *
 * @example
 * const patch: SessionPatch = { set: { theme: 'dark' }, unset: ['draft'], lastSeenAt: now, expiresAt: now + idleMs };
 * const stillThere = await store.update(key, patch);
 */
export interface SessionPatch {
  /** The user, when it changed; absent keeps the stored one. */
  userId?: UserId | null;
  set?: SessionData;
  unset?: readonly string[];
  /** Replace the data whole with `set` instead of merging. */
  replace?: boolean;
  lastSeenAt: number;
  expiresAt: number;
}

/**
 * A session in a user's list, with its store key so the caller can tell which one is its own.
 *
 * @example
 * const others = (await store.listUser(userId, Date.now())).filter((s: ListedSession) => s.key !== currentKey);
 */
export interface ListedSession extends StoredSession {
  key: string;
}

/**
 * Where sessions live: an adapter over a database or cache. `key` is the SHA-256 of a secret the
 * cookie holds, never the secret itself, so a leaked table opens no session. Every method returns
 * a Promise and none throws for an unknown key; a failing backend rejects, and Latchkey answers
 * 503. Write your own by passing `testSessionStore` from `latchkey/testing`.
 *
 * @example
 * const store: SessionStore = createSqliteSessionStore(new Database('app.db'));
 */
export interface SessionStore {
  /** The session, or null when it is unknown or has expired by `now`. */
  get(key: string, now: number): Promise<StoredSession | null>;
  /** Stores a new session under a fresh key. */
  create(key: string, session: StoredSession): Promise<void>;
  /**
   * Applies a patch to an existing session, atomically. Returns false, writing nothing, when the
   * session is gone: a slow request must not resurrect a session a logout destroyed meanwhile.
   */
  update(key: string, patch: SessionPatch): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** A user's live sessions by `now`, most recently seen first. */
  listUser(userId: UserId, now: number): Promise<ListedSession[]>;
  /** Ends every session of a user, except `exceptKey` when given. */
  deleteUser(userId: UserId, exceptKey?: string): Promise<void>;
  /** Creates or updates the store's tables; run once at registration. Optional. */
  migrate?(): Promise<void>;
  /** Deletes expired sessions and says how many; stores that expire by themselves omit it. */
  sweep?(now: number): Promise<number>;
}

/**
 * Applies a patch to session data, as every store must: set keys, unset keys, or replace whole.
 * For stores that read, merge and write back inside a transaction or a lock.
 *
 * @example
 * applyPatch({ a: 1, b: 2 }, { set: { b: 3 }, unset: ['a'], lastSeenAt: now, expiresAt }); // { b: 3 }
 */
export function applyPatch(data: SessionData, patch: SessionPatch): SessionData {
  const next: SessionData = patch.replace ? {} : { ...data };
  Object.assign(next, patch.set);
  for (const key of patch.unset ?? []) delete next[key];
  return next;
}

/** True when a patch changes the data, not only the deadlines. */
export const changesData = (patch: SessionPatch): boolean =>
  patch.replace === true || (patch.set !== undefined && Object.keys(patch.set).length > 0) || (patch.unset?.length ?? 0) > 0;

/**
 * How stores keep a user id in a text column or a key: JSON, so `42` and `"42"` stay apart and
 * come back as the type they went in as.
 */
export const encodeUserId = (userId: UserId): string => JSON.stringify(userId);

export function decodeUserId(text: string | null | undefined): UserId | null {
  if (text === null || text === undefined || text === '') return null;
  const value: unknown = JSON.parse(text);
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}
