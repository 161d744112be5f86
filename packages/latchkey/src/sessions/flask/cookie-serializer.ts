import { isFlaskDict, type FlaskDict } from './flask-values.js';
import { flaskTaggedJson } from './tagged-json.js';
import { createTimestampSigner, type SecretKey } from './timestamp-signer.js';
import { decodeUrlSafePayload, encodeUrlSafePayload } from './url-safe-payload.js';

/** `SecureCookieSessionInterface.salt`. */
export const FLASK_SESSION_SALT = 'cookie-session';
/**
 * Flask's default `PERMANENT_SESSION_LIFETIME`: 31 days.
 *
 * @example
 * createFlaskCookieSerializer({ secretKeys: ['key'], maxAgeSeconds: FLASK_DEFAULT_MAX_AGE_SECONDS });
 */
export const FLASK_DEFAULT_MAX_AGE_SECONDS = 31 * 24 * 60 * 60;

const COOKIE_SHAPE = /^\.?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * What {@link createFlaskCookieSerializer} takes.
 *
 * @example
 * const options: FlaskCookieSerializerOptions = { secretKeys: flaskSecretKeys('new key', ['old key']), maxAgeSeconds: 86_400 };
 */
export interface FlaskCookieSerializerOptions {
  /** Newest first: signs with the first, verifies with any (see {@link flaskSecretKeys}). */
  secretKeys: readonly SecretKey[];
  /** Default `'cookie-session'`, Flask's. */
  salt?: string;
  /** Flask's `PERMANENT_SESSION_LIFETIME` in seconds; Flask enforces it on every session cookie. */
  maxAgeSeconds: number;
  /** How far ahead of this clock a signing time may be. Default 60; itsdangerous allows 0. */
  clockSkewSeconds?: number;
  /** Longest cookie value read. Default 8192 (browsers keep at most 4096). */
  maxCookieLength?: number;
  /** Most JSON bytes a compressed cookie may inflate to. Default 131072. */
  maxJsonBytes?: number;
}

/**
 * A verified session, whether it was signed with an older key and should be re-signed, and when it was signed.
 *
 * @example
 * const loaded = flask.loads(request.cookies.session ?? '', Date.now());
 * if (loaded?.renew) reply.setCookie('session', flask.dumps(loaded.value, Date.now()));
 */
export interface LoadedFlaskSession {
  value: FlaskDict;
  renew: boolean;
  /** The signing time in whole seconds: Flask's lifetime counts from it. */
  signedAtSeconds: number;
}

/**
 * Flask's session cookie, both ways: what {@link createFlaskCookieSerializer} returns.
 *
 * @example
 * const flask: FlaskCookieSerializer = createFlaskCookieSerializer({ secretKeys: ['key'], maxAgeSeconds: FLASK_DEFAULT_MAX_AGE_SECONDS });
 */
export interface FlaskCookieSerializer {
  /** The cookie value Flask would set for this session at `nowMs`. Throws `TypeError` for a value Flask cannot hold. */
  dumps(value: FlaskDict, nowMs: number): string;
  /** The session in a cookie, or null for anything tampered, foreign-key, malformed, over-size, expired or future. Never throws. */
  loads(cookie: string, nowMs: number): LoadedFlaskSession | null;
}

/**
 * Reads and writes Flask's session cookie (`SecureCookieSessionInterface`:
 * itsdangerous `URLSafeTimedSerializer`, HMAC-SHA1, tagged JSON), so
 * Latchkey and a Flask app can share one session. Options are checked here;
 * a bad one throws a `TypeError` naming it.
 *
 * @example
 * const flask = createFlaskCookieSerializer({
 *   secretKeys: flaskSecretKeys(process.env.FLASK_SECRET_KEY ?? ''),
 *   maxAgeSeconds: FLASK_DEFAULT_MAX_AGE_SECONDS,
 * });
 * const cookie = flask.dumps({ user_id: 7 }, Date.now());
 * flask.loads(cookie, Date.now()); // { value: { user_id: 7 }, renew: false, signedAtSeconds: … }
 * flask.loads('forged', Date.now()); // null
 */
export function createFlaskCookieSerializer(options: FlaskCookieSerializerOptions): FlaskCookieSerializer {
  const {
    secretKeys, salt = FLASK_SESSION_SALT, maxAgeSeconds,
    clockSkewSeconds = 60, maxCookieLength = 8192, maxJsonBytes = 131_072,
  } = options;
  if (!Array.isArray(secretKeys) || secretKeys.length === 0 || !secretKeys.every(isUsableKey)) {
    throw new TypeError('createFlaskCookieSerializer: secretKeys must be a non-empty list of non-empty strings or byte arrays, newest first (the Flask app\'s SECRET_KEY first)');
  }
  if (typeof salt !== 'string') throw new TypeError('createFlaskCookieSerializer: salt must be a string (Flask uses "cookie-session")');
  requireWholeNumber('maxAgeSeconds', maxAgeSeconds, 0, 'the Flask app\'s PERMANENT_SESSION_LIFETIME in seconds; Flask\'s default is 2678400');
  requireWholeNumber('clockSkewSeconds', clockSkewSeconds, 0, 'seconds');
  requireWholeNumber('maxCookieLength', maxCookieLength, 1, 'characters');
  requireWholeNumber('maxJsonBytes', maxJsonBytes, 1, 'bytes');
  const signer = createTimestampSigner(secretKeys, salt);

  return {
    dumps(value, nowMs) {
      if (!isFlaskDict(value)) throw new TypeError('a Flask session must be a plain object');
      const payload = encodeUrlSafePayload(flaskTaggedJson.stringify(value));
      return signer.sign(payload, toSeconds(nowMs));
    },

    loads(cookie, nowMs) {
      const nowSeconds = toSeconds(nowMs);
      if (typeof cookie !== 'string' || cookie.length > maxCookieLength || !COOKIE_SHAPE.test(cookie)) return null;
      const unsigned = signer.unsign(cookie);
      if (unsigned === null) return null;
      const age = nowSeconds - unsigned.timestampSeconds;
      // a cookie past Flask's lifetime is dead even if a client kept it
      if (age > maxAgeSeconds) return null;
      // a future signing time would stretch that lifetime; allow only clock drift
      if (age < -clockSkewSeconds) return null;
      const json = decodeUrlSafePayload(unsigned.payload, maxJsonBytes);
      const value = json === null ? undefined : flaskTaggedJson.parse(json);
      // a Flask session is always a dict; Flask itself fails with a 500 on anything else
      return isFlaskDict(value) ? { value, renew: unsigned.keyIndex > 0, signedAtSeconds: unsigned.timestampSeconds } : null;
    },
  };
}

function isUsableKey(key: unknown): key is SecretKey {
  return (typeof key === 'string' || key instanceof Uint8Array) && key.length > 0;
}

function requireWholeNumber(name: string, value: unknown, min: number, unit: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new TypeError(`createFlaskCookieSerializer: ${name} must be a whole number ≥ ${min} (${unit}); got ${String(value)}`);
  }
}

function toSeconds(nowMs: number): number {
  if (!Number.isFinite(nowMs) || nowMs < 1000) throw new RangeError(`nowMs must be a time in milliseconds; got ${nowMs}`);
  return Math.floor(nowMs / 1000);
}
