import { createHash, randomBytes } from 'node:crypto';
import { tooManySessions } from '../errors.js';
import type { SessionStore, StoredSession } from '../stores/session-store.js';
import { type CookieOut, deadline, limitsOf, rememberMaxAge, type SessionCodec, type SessionTimeouts } from './codec.js';
import type { Keyring } from './keyring.js';
import { memoize } from './memo.js';
import { newHandle } from './session.js';

interface ServerState {
  /** The cookie's id and its store key, when the cookie named a live session. */
  id: string | null;
  key: string | null;
  stored: StoredSession | null;
  renew: boolean;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const EMPTY: ServerState = { id: null, key: null, stored: null, renew: false };

/** The store's key for a session id: a leaked row (or a store dump) opens no session. */
export const storeKey = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Asked before a session without a user is created, with the client's address: 0 lets it be
 * created, more refuses it for that many milliseconds (a flood of cookieless visitors).
 */
export type AnonymousAdmission = (ip: string) => Promise<number>;

/**
 * Server mode: the cookie holds only a signed, random 256-bit id; the data lives in a store and
 * logout really ends it.
 */
export function createServerCodec(
  store: SessionStore,
  keyring: Keyring,
  timeouts: SessionTimeouts,
  admitAnonymous?: AnonymousAdmission,
): SessionCodec<ServerState> {
  // the same few ids arrive again and again: hash each once
  const keyOf = memoize(storeKey);
  const cookieFor = (id: string, remember: boolean, createdAt: number, now: number): CookieOut => ({
    value: keyring.sign(id),
    ...(remember ? { maxAgeSeconds: rememberMaxAge(timeouts, createdAt, now) } : {}),
  });

  return {
    async load(cookie, now) {
      const unsigned = cookie ? keyring.unsign(cookie) : null;
      if (!unsigned || !ID_PATTERN.test(unsigned.value)) return { init: {}, state: EMPTY };
      const key = keyOf(unsigned.value);
      const stored = await store.get(key, now);
      const expired = !stored || now - stored.createdAt >= limitsOf(timeouts, stored.remember).absoluteMs;
      if (expired) return { init: {}, state: EMPTY };
      const { data, userId, createdAt, handle, remember } = stored;
      return { init: { data, userId, createdAt, handle, remember }, state: { id: unsigned.value, key, stored, renew: unsigned.renew } };
    },

    async save(session, state, now, info) {
      const { key, stored } = state;
      if (session.destroyed) {
        if (key) await store.delete(key);
        return key ? null : undefined;
      }
      if (session.rotated && key) await store.delete(key);
      const existing = session.rotated ? null : key;
      if (existing && stored) {
        if (session.isEmpty) {
          await store.delete(existing);
          return null;
        }
        const expiresAt = deadline(timeouts, stored.remember, stored.createdAt, now, session.userId === null);
        if (session.dirty) {
          const written = await store.update(existing, { userId: session.userId, ...session.changes, lastSeenAt: now, expiresAt });
          if (!written) return null;
        } else if (now - stored.lastSeenAt >= timeouts.touchEveryMs) {
          if (!(await store.update(existing, { lastSeenAt: now, expiresAt }))) return null;
        }
        return state.renew ? cookieFor(state.id!, stored.remember, stored.createdAt, now) : undefined;
      }
      if (session.isEmpty || !(session.dirty || session.rotated)) return key ? null : undefined;
      if (session.userId === null && admitAnonymous) {
        const retryAfterMs = await admitAnonymous(info.ip);
        if (retryAfterMs > 0) throw tooManySessions(retryAfterMs);
      }
      const id = randomBytes(32).toString('base64url');
      const created: StoredSession = {
        userId: session.userId,
        data: { ...session.data },
        createdAt: now,
        lastSeenAt: now,
        expiresAt: deadline(timeouts, session.remember, now, now, session.userId === null),
        handle: session.handle ?? newHandle(),
        remember: session.remember,
        userAgent: info.userAgent.slice(0, 300),
        ip: info.ip,
      };
      await store.create(storeKey(id), created);
      return cookieFor(id, session.remember, now, now);
    },

    storeKey: (state) => state.key,
  };
}
