import type { SessionData } from './session.js';

/** A server-side session as a store keeps it. Times are milliseconds since the epoch. */
export interface StoredSession {
  userId: number | null;
  data: SessionData;
  createdAt: number;
  lastSeenAt: number;
  /** When the session ends unless touched: the idle deadline, capped by the absolute one. */
  expiresAt: number;
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
   * Writes an existing session back. Returns false, writing nothing, when the session is gone:
   * a slow request must not resurrect a session that a logout destroyed meanwhile.
   */
  update(key: string, session: StoredSession): Promise<boolean>;
  touch(key: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  destroy(key: string): Promise<void>;
  /** Ends every session of a user, except `exceptKey` when given. */
  destroyUser(userId: number, exceptKey?: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  sweep(now: number): Promise<number>;
  close(): Promise<void>;
}
