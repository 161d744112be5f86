import type { SessionStore, UserId } from '../stores/session-store.js';

/**
 * A session as a devices page shows it.
 *
 * @example
 * const rows = (await app.latchkey.listMySessions(request)).map((s: DeviceSession) => `${s.userAgent} ${s.current ? '(this one)' : ''}`);
 */
export interface DeviceSession {
  /** Its public name: end it with `end(userId, handle)`. Never the secret id. */
  handle: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  ip: string;
  remember: boolean;
  /** The session of the request that asked. */
  current: boolean;
}

/**
 * Lists and ends a user's sessions, the same way in every mode: server-mode sessions and the
 * records cookie modes keep of each login live in the same store, so ending one is deleting it.
 * `app.latchkey.sessions` is one; the CLI and tests can make their own from a store.
 *
 * @example
 * const sessions = createSessionManager(store);
 * await sessions.endAll(userId); // a password reset by an administrator
 */
export interface SessionManager {
  /** The user's live sessions, most recently seen first; `currentKey` marks the asking one. */
  list(userId: UserId, currentKey?: string | null): Promise<DeviceSession[]>;
  /** Ends one session of the user by its handle; false when the user has no such session. */
  end(userId: UserId, handle: string): Promise<boolean>;
  /** Ends every session of the user, except the one with `exceptKey`. */
  endAll(userId: UserId, exceptKey?: string | null): Promise<void>;
}

/**
 * A SessionManager over a store, for code that runs without the plugin (a CLI, a job, a test);
 * inside the app, use `app.latchkey.sessions`.
 *
 * @example
 * const sessions = createSessionManager(createSqliteSessionStore(db));
 * await sessions.endAll(userId); // an administrator locks the account
 */
export function createSessionManager(store: SessionStore, now: () => number = Date.now): SessionManager {
  return {
    async list(userId, currentKey) {
      const sessions = await store.listUser(userId, now());
      return sessions.map(({ key, handle, createdAt, lastSeenAt, userAgent, ip, remember }) => ({
        handle,
        createdAt,
        lastSeenAt,
        userAgent,
        ip,
        remember,
        current: key === currentKey,
      }));
    },
    async end(userId, handle) {
      const match = (await store.listUser(userId, now())).find((session) => session.handle === handle);
      if (!match) return false;
      await store.delete(match.key);
      return true;
    },
    async endAll(userId, exceptKey) {
      await store.deleteUser(userId, exceptKey ?? undefined);
    },
  };
}
