import type { SessionStore, StoredSession } from './session-store.js';

/** Sessions in a Map: for tests and single-process experiments; everything is gone on restart. */
export function createMemorySessionStore(): SessionStore {
  const sessions = new Map<string, StoredSession>();
  const copy = (session: StoredSession): StoredSession => structuredClone(session);
  return {
    async get(key, now) {
      const session = sessions.get(key);
      if (!session || session.expiresAt <= now) return null;
      return copy(session);
    },
    async create(key, session) {
      sessions.set(key, copy(session));
    },
    async update(key, session) {
      if (!sessions.has(key)) return false;
      sessions.set(key, copy(session));
      return true;
    },
    async touch(key, lastSeenAt, expiresAt) {
      const session = sessions.get(key);
      if (session) Object.assign(session, { lastSeenAt, expiresAt });
    },
    async destroy(key) {
      sessions.delete(key);
    },
    async destroyUser(userId, exceptKey) {
      for (const [key, session] of sessions) {
        if (session.userId === userId && key !== exceptKey) sessions.delete(key);
      }
    },
    async sweep(now) {
      let swept = 0;
      for (const [key, session] of sessions) {
        if (session.expiresAt <= now) swept += Number(sessions.delete(key));
      }
      return swept;
    },
    async close() {
      sessions.clear();
    },
  };
}
