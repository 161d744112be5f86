import type { SessionCodec, SessionTimeouts } from './codec.js';
import type { Keyring } from './keyring.js';
import type { SessionData } from './session.js';

interface SignedState {
  issuedAt: number | null;
  renew: boolean;
}

interface Payload {
  u: number | null;
  d: SessionData;
  c: number;
}

/** Browsers drop cookies over 4096 bytes without a word; refuse to write one instead. */
export const MAX_COOKIE_BYTES = 4096;
/** A cookie stamped further than this in the future is refused (clock skew between servers). */
const MAX_FUTURE_SKEW_MS = 60_000;

/**
 * Signed mode, like Flask's: the whole session rides in the cookie as readable JSON with an issue
 * time and an HMAC-SHA256 signature. Tamper-evident, not secret; nothing stored on the server.
 */
export function createSignedCodec(keyring: Keyring, timeouts: SessionTimeouts): SessionCodec<SignedState> {
  return {
    async load(cookie, now) {
      const unsigned = cookie ? keyring.unsign(cookie) : null;
      const payload = unsigned ? decode(unsigned.value, now, timeouts) : null;
      if (!payload) return { init: {}, state: { issuedAt: null, renew: false } };
      return {
        init: { data: payload.d, userId: payload.u, createdAt: payload.c },
        state: { issuedAt: payload.issuedAt, renew: unsigned!.renew },
      };
    },

    async save(session, state, now) {
      if (session.destroyed || session.isEmpty) {
        return state.issuedAt === null && !session.destroyed ? undefined : null;
      }
      const stale = state.issuedAt !== null && now - state.issuedAt >= timeouts.touchEveryMs;
      if (!session.dirty && !session.rotated && !state.renew && !stale) return undefined;
      const createdAt = session.rotated ? now : session.createdAt;
      const payload: Payload = { u: session.userId, d: { ...session.data }, c: createdAt };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const cookie = keyring.sign(`${body}.${now.toString(36)}`);
      if (cookie.length > MAX_COOKIE_BYTES - 100) {
        throw new Error(`session data too large for a cookie (${cookie.length} bytes); use SESSION_MODE=server`);
      }
      return cookie;
    },
  };
}

function decode(value: string, now: number, timeouts: SessionTimeouts): (Payload & { issuedAt: number }) | null {
  const dot = value.lastIndexOf('.');
  const issuedAt = parseInt(value.slice(dot + 1), 36);
  if (dot <= 0 || !Number.isSafeInteger(issuedAt)) return null;
  if (issuedAt > now + MAX_FUTURE_SKEW_MS || now - issuedAt >= timeouts.idleMs) return null;
  try {
    const payload = JSON.parse(Buffer.from(value.slice(0, dot), 'base64url').toString('utf8')) as Partial<Payload>;
    const validUser = payload.u === null || Number.isSafeInteger(payload.u);
    const validData = typeof payload.d === 'object' && payload.d !== null && !Array.isArray(payload.d);
    if (!validUser || !validData || typeof payload.c !== 'number') return null;
    if (payload.c > now + MAX_FUTURE_SKEW_MS || now - payload.c >= timeouts.absoluteMs) return null;
    return { u: payload.u ?? null, d: payload.d!, c: payload.c, issuedAt };
  } catch {
    return null;
  }
}
