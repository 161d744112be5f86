import { createHash } from 'node:crypto';
import type { SessionStore } from '../stores/session-store.js';
import type { UserId } from '../stores/session-store.js';
import { deadline, limitsOf, rememberMaxAge, type SessionCodec, type SessionTimeouts } from './codec.js';
import { memoize } from './memo.js';
import type { Sealer } from './sealer.js';
import { newHandle, type SessionData } from './session.js';

/** The session as it rides in the cookie. Short names: every byte travels on every request. */
interface Payload {
  /** user id */
  u: UserId | null;
  /** data */
  d: SessionData;
  /** created (login) time, for the absolute limit */
  c: number;
  /** last seen, for the idle limit */
  s: number;
  /** public handle; names the login's record in the store */
  h: string;
  /** remember me */
  r?: 1;
}

interface CookieState {
  payload: Payload | null;
  renew: boolean;
  /** A cookie came that opens no live session: it is cleared. */
  dead: boolean;
}

/** Browsers drop cookies over 4096 bytes without a word; refuse to write one instead. */
export const MAX_COOKIE_BYTES = 4096;
/** A cookie stamped further than this in the future is refused (clock skew between servers). */
const MAX_FUTURE_SKEW_MS = 60_000;

/**
 * Thrown when a session has outgrown a cookie (signed and encrypted modes; browsers keep at most
 * 4096 bytes): a programming error to fix, not user input. Store less, or use the server mode.
 *
 * @example
 * if (error instanceof SessionTooLargeError) request.log.error(error.message);
 */
export class SessionTooLargeError extends Error {
  override name = 'SessionTooLargeError';
}

/**
 * The store key of a cookie-mode login's record. The handle is public (devices page), so the key
 * is derived from it under a label of its own, apart from server-mode keys.
 */
export const loginRecordKey = memoize((handle: string) => createHash('sha256').update(`cookie-login:${handle}`).digest('hex'));

/**
 * Cookie modes (signed, encrypted): the data rides in the cookie, protected by the sealer, and
 * expiry is enforced from the times inside it. A logged-in cookie session also has a record in
 * the store, written at login (which writes anyway) and read on each request: deleting it ends
 * that one session, so logout and the devices page work as in server mode. Anonymous cookie
 * sessions (a visitor's counter) keep nothing on the server.
 */
export function createCookieCodec(sealer: Sealer, store: SessionStore, timeouts: SessionTimeouts, cookieName: string): SessionCodec<CookieState> {
  const ended = (dead: boolean) => ({ init: {}, state: { payload: null, renew: false, dead } });
  return {
    async load(cookie, now) {
      if (!cookie) return ended(false);
      const opened = sealer.open(cookie);
      const payload = opened ? decode(opened.text, now, timeouts) : null;
      if (!payload) return ended(true);
      if (payload.u !== null) {
        const record = await store.get(loginRecordKey(payload.h), now);
        if (!record || record.userId !== payload.u) return ended(true);
      }
      return {
        init: { data: payload.d, userId: payload.u, createdAt: payload.c, handle: payload.h, remember: payload.r === 1 },
        state: { payload, renew: opened!.renew, dead: false },
      };
    },

    async save(session, { payload, renew, dead }, now, info) {
      const hadCookie = payload !== null || dead;
      const oldRecord = payload && payload.u !== null ? loginRecordKey(payload.h) : null;
      if (session.destroyed || session.isEmpty || session.rotated) {
        if (oldRecord) await store.delete(oldRecord);
        if (session.destroyed || session.isEmpty) return hadCookie ? null : undefined;
      }
      const stale = payload !== null && now - payload.s >= timeouts.touchEveryMs;
      if (!session.dirty && !session.rotated && !renew && !stale) return undefined;
      const fresh = session.rotated || payload === null;
      const createdAt = fresh ? now : session.createdAt;
      const handle = session.handle ?? newHandle();
      const expiresAt = deadline(timeouts, session.remember, createdAt, now);
      if (fresh && session.userId !== null) {
        const record = { userId: session.userId, data: {}, createdAt, lastSeenAt: now, expiresAt, handle, remember: session.remember };
        await store.create(loginRecordKey(handle), { ...record, userAgent: info.userAgent.slice(0, 300), ip: info.ip });
      } else if (stale && oldRecord && !(await store.update(oldRecord, { lastSeenAt: now, expiresAt }))) {
        return null; // ended while this request ran
      }
      const next: Payload = { u: session.userId, d: { ...session.data }, c: createdAt, s: now, h: handle, ...(session.remember ? { r: 1 as const } : {}) };
      const value = sealer.seal(JSON.stringify(next));
      if (cookieName.length + value.length + 100 > MAX_COOKIE_BYTES) {
        throw new SessionTooLargeError(
          `the session is too large for a cookie (${value.length} bytes, browsers keep at most ${MAX_COOKIE_BYTES}); store less in it or use the server mode`,
        );
      }
      return session.remember ? { value, maxAgeSeconds: rememberMaxAge(timeouts, createdAt, now) } : { value };
    },

    storeKey: (state) => (state.payload && state.payload.u !== null ? loginRecordKey(state.payload.h) : null),
  };
}

function decode(text: string, now: number, timeouts: SessionTimeouts): Payload | null {
  let payload: Partial<Payload>;
  try {
    payload = JSON.parse(text) as Partial<Payload>;
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { u, d, c, s, h } = payload;
  if (!(u === null || Number.isSafeInteger(u) || (typeof u === 'string' && u !== ''))) return null;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || typeof h !== 'string') return null;
  if (![c, s].every((time) => Number.isSafeInteger(time) && time! <= now + MAX_FUTURE_SKEW_MS)) return null;
  const { idleMs, absoluteMs } = limitsOf(timeouts, payload.r === 1);
  if (now - s! >= idleMs || now - c! >= absoluteMs || deadline(timeouts, payload.r === 1, c!, s!) <= now) return null;
  return payload as Payload;
}
