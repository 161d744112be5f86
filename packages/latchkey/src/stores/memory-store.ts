import { applyPatch, type SessionStore, type StoredSession } from './session-store.js';

/**
 * Sessions in a Map: for tests and single-process experiments; everything is gone on restart.
 *
 * @example
 * await app.register(latchkey, { ...options, store: createMemorySessionStore() });
 */
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
      const { lastSeenAt, expiresAt } = patch;
      const userId = patch.userId === undefined ? session.userId : patch.userId;
      sessions.set(key, { ...session, data: applyPatch(session.data, structuredClone(patch)), userId, lastSeenAt, expiresAt });
      return true;
    },
    async delete(key) {
      sessions.delete(key);
    },
    async deleteUser(userId, exceptKey) {
      for (const [key, session] of sessions) {
        if (session.userId === userId && key !== exceptKey) sessions.delete(key);
      }
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
  };
}
