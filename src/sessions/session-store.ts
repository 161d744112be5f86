import type { SessionData } from './session.js';

/** A server-side session as a store keeps it. Times are milliseconds since the epoch. */
export interface StoredSession {
  userId: number | null;
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

/** A write to an existing session: only what changed, merged into what the store holds now. */
export interface SessionPatch {
  userId: number | null;
  set: SessionData;
  unset: string[];
  /** Replace the data whole with `set` instead of merging. */
  replace: boolean;
  lastSeenAt: number;
  expiresAt: number;
}

/** A session in a user's list, with its store key so the caller can tell which one is its own. */
export interface ListedSession extends StoredSession {
  key: string;
}

/**
 * Where server-mode sessions live. `key` is the SHA-256 of the cookie's id, never the id itself.
 * Every method is a Promise; none throws for an unknown key.
 */
export interface SessionStore {
  /** The session, or null when it is unknown or has expired. */
  get(key: string, now: number): Promise<StoredSession | null>;
  create(key: string, session: StoredSession): Promise<void>;
  /**
   * Merges a patch into an existing session, atomically. Returns false, writing nothing, when the
   * session is gone: a slow request must not resurrect a session a logout destroyed meanwhile.
   */
  update(key: string, patch: SessionPatch): Promise<boolean>;
  /** Moves the idle deadline; does nothing for a session that is gone. */
  touch(key: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  destroy(key: string): Promise<void>;
  /** Ends every session of a user, except `exceptKey` when given. */
  destroyUser(userId: number, exceptKey?: string): Promise<void>;
  /** Ends one session of a user by its public handle; false when there is no such session. */
  destroyHandle(userId: number, handle: string): Promise<boolean>;
  /** A user's live sessions, most recently seen first. */
  listUser(userId: number, now: number): Promise<ListedSession[]>;
  /** Deletes expired sessions; returns how many (a store that expires by itself may return 0). */
  sweep(now: number): Promise<number>;
  close(): Promise<void>;
}

/** Applies a patch to session data, as every store must: set keys, unset keys, or replace whole. */
export function applyPatch(data: SessionData, patch: SessionPatch): SessionData {
  const next: SessionData = patch.replace ? {} : { ...data };
  Object.assign(next, patch.set);
  for (const key of patch.unset) delete next[key];
  return next;
}
