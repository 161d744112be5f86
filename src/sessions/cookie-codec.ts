import { randomBytes } from 'node:crypto';
import { deadline, limitsOf, rememberMaxAge, type SessionCodec, type SessionTimeouts } from './codec.js';
import type { Sealer } from './sealer.js';
import type { SessionData } from './session.js';

/** The session as it rides in the cookie. Short names: every byte travels on every request. */
interface Payload {
  /** user id */
  u: number | null;
  /** data */
  d: SessionData;
  /** created (login) time, for the absolute limit */
  c: number;
  /** issued: last authorised (login, "end other sessions"), checked against the user's revocations */
  i: number;
  /** last seen, for the idle limit */
  s: number;
  /** public handle */
  h: string;
  /** remember me */
  r?: 1;
}

interface CookieState {
  payload: Payload | null;
  renew: boolean;
}

/** Browsers drop cookies over 4096 bytes without a word; refuse to write one instead. */
export const MAX_COOKIE_BYTES = 4096;
/** A cookie stamped further than this in the future is refused (clock skew between servers). */
const MAX_FUTURE_SKEW_MS = 60_000;

/** Thrown when a session has outgrown a cookie: a programming error to fix, not user input. */
export class SessionTooLargeError extends Error {
  override name = 'SessionTooLargeError';
}

/**
 * Cookie modes (signed, encrypted): the whole session rides in the cookie, protected by the
 * sealer; expiry is enforced here from the times inside it, revocation by the user's
 * `sessions_valid_after` (checked where the user is loaded).
 */
export function createCookieCodec(sealer: Sealer, timeouts: SessionTimeouts, cookieName: string): SessionCodec<CookieState> {
  return {
    async load(cookie, now) {
      const opened = cookie ? sealer.open(cookie) : null;
      const payload = opened ? decode(opened.text, now, timeouts) : null;
      if (!payload) return { init: {}, state: { payload: null, renew: false } };
      return {
        init: { data: payload.d, userId: payload.u, createdAt: payload.c, issuedAt: payload.i, handle: payload.h, remember: payload.r === 1 },
        state: { payload, renew: opened!.renew },
      };
    },

    async save(session, { payload, renew }, now) {
      if (session.destroyed || session.isEmpty) return payload || session.destroyed ? null : undefined;
      const stale = payload !== null && now - payload.s >= timeouts.touchEveryMs;
      if (!session.dirty && !session.rotated && !renew && !stale) return undefined;
      const fresh = session.rotated || payload === null;
      const createdAt = fresh ? now : session.createdAt;
      const next: Payload = {
        u: session.userId,
        d: { ...session.data },
        c: createdAt,
        i: fresh || session.reissued ? now : session.issuedAt,
        s: now,
        h: (!session.rotated && session.handle) || randomBytes(12).toString('base64url'),
        ...(session.remember ? { r: 1 as const } : {}),
      };
      const value = sealer.seal(JSON.stringify(next));
      if (cookieName.length + value.length + 100 > MAX_COOKIE_BYTES) {
        throw new SessionTooLargeError(
          `the session is too large for a cookie (${value.length} bytes, browsers keep at most ${MAX_COOKIE_BYTES}); store less in it or use SESSION_MODE=server`,
        );
      }
      return session.remember ? { value, maxAgeSeconds: rememberMaxAge(timeouts, createdAt, now) } : { value };
    },
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
  const { u, d, c, i, s, h } = payload;
  const times = [c, i, s];
  if (!(u === null || Number.isSafeInteger(u))) return null;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || typeof h !== 'string') return null;
  if (!times.every((time) => Number.isSafeInteger(time) && time! <= now + MAX_FUTURE_SKEW_MS)) return null;
  const { idleMs, absoluteMs } = limitsOf(timeouts, payload.r === 1);
  if (now - s! >= idleMs || now - c! >= absoluteMs || deadline(timeouts, payload.r === 1, c!, s!) <= now) return null;
  return payload as Payload;
}
