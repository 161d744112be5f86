import { createHash, randomBytes } from 'node:crypto';
import type { SessionCodec, SessionTimeouts } from './codec.js';
import type { Keyring } from './keyring.js';
import type { SessionStore, StoredSession } from './session-store.js';

interface ServerState {
  /** The cookie's id and its store key, when the cookie named a live session. */
  id: string | null;
  key: string | null;
  stored: StoredSession | null;
  renew: boolean;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The store's key for a session id: a leaked row (or a store dump) opens no session. */
export const storeKey = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Server mode: the cookie holds only a signed, random 256-bit id; the data lives in a store and
 * logout really ends it.
 */
export function createServerCodec(store: SessionStore, keyring: Keyring, timeouts: SessionTimeouts): SessionCodec<ServerState> {
  const empty = (): { init: object; state: ServerState } => ({
    init: {},
    state: { id: null, key: null, stored: null, renew: false },
  });

  return {
    async load(cookie, now) {
      const unsigned = cookie ? keyring.unsign(cookie) : null;
      if (!unsigned || !ID_PATTERN.test(unsigned.value)) return empty();
      const key = storeKey(unsigned.value);
      const stored = await store.get(key, now);
      if (!stored || now - stored.createdAt >= timeouts.absoluteMs) return empty();
      return {
        init: { data: stored.data, userId: stored.userId, createdAt: stored.createdAt },
        state: { id: unsigned.value, key, stored, renew: unsigned.renew },
      };
    },

    async save(session, state, now) {
      const { key, stored } = state;
      if (session.destroyed) {
        if (key) await store.destroy(key);
        return key ? null : undefined;
      }
      if (session.rotated && key) await store.destroy(key);
      const existing = session.rotated ? null : key;
      if (session.isEmpty) {
        if (existing) await store.destroy(existing);
        return existing || session.rotated ? null : undefined;
      }
      const createdAt = existing && stored ? stored.createdAt : now;
      const expiresAt = Math.min(now + timeouts.idleMs, createdAt + timeouts.absoluteMs);
      if (existing && stored) {
        if (!session.dirty) {
          if (now - stored.lastSeenAt >= timeouts.touchEveryMs) await store.touch(existing, now, expiresAt);
          return state.renew ? keyring.sign(state.id!) : undefined;
        }
        const record = { userId: session.userId, data: { ...session.data }, createdAt, lastSeenAt: now, expiresAt };
        if (!(await store.update(existing, record))) return null;
        return state.renew ? keyring.sign(state.id!) : undefined;
      }
      if (!session.dirty && !session.rotated) return undefined;
      const id = randomBytes(32).toString('base64url');
      await store.create(storeKey(id), { userId: session.userId, data: { ...session.data }, createdAt, lastSeenAt: now, expiresAt });
      return keyring.sign(id);
    },
  };
}
