import { applyPatch, type SessionStore, type StoredSession } from './session-store.js';

/** Sessions in a Map: for tests and single-process experiments; everything is gone on restart. */
export function createMemorySessionStore(): SessionStore {
  const sessions = new Map<string, StoredSession>();
  const live = (key: string, now: number) => {
    const session = sessions.get(key);
    return session && session.expiresAt > now ? session : null;
  };
  return {
    async get(key, now) {
      const session = live(key, now);
      return session ? structuredClone(session) : null;
    },
    async create(key, session) {
      sessions.set(key, structuredClone(session));
    },
    async update(key, patch) {
      const session = sessions.get(key);
      if (!session) return false;
      const { userId, lastSeenAt, expiresAt } = patch;
      sessions.set(key, { ...session, data: applyPatch(session.data, structuredClone(patch)), userId, lastSeenAt, expiresAt });
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
    async destroyHandle(userId, handle) {
      for (const [key, session] of sessions) {
        if (session.userId === userId && session.handle === handle) return sessions.delete(key);
      }
      return false;
    },
    async listUser(userId, now) {
      return [...sessions]
        .filter(([, session]) => session.userId === userId && session.expiresAt > now)
        .map(([key, session]) => ({ ...structuredClone(session), key }))
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
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
