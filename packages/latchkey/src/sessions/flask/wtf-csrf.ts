import { timingSafeEqual } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from './base64.js';
import { createTimestampSigner, type SecretKey } from './timestamp-signer.js';

/** Flask-WTF's `WTF_CSRF_TIME_LIMIT` default: a form's token lasts an hour. */
export const FLASK_WTF_TIME_LIMIT_SECONDS = 3600;
const SALT = 'wtf-csrf-token';

/**
 * Flask-WTF's tokens for one key: what {@link createFlaskWtfTokens} returns.
 *
 * @example
 * const tokens: FlaskWtfTokens = createFlaskWtfTokens({ secretKey: 'the Flask key' });
 * tokens.issue(rawToken, Date.now()); // what the Flask template's {{ csrf_token() }} renders
 */
export interface FlaskWtfTokens {
  /** The token Flask-WTF's `generate_csrf()` makes for the session's raw `csrf_token`. */
  issue(sessionToken: string, nowMs: number): string;
  /** True when `token` is one Flask-WTF's `validate_csrf()` accepts for the session's raw `csrf_token`. */
  verify(token: string, sessionToken: string, nowMs: number): boolean;
}

/**
 * Flask-WTF's CSRF tokens: the session's random `csrf_token` as JSON, signed by itsdangerous's
 * `URLSafeTimedSerializer(SECRET_KEY, salt="wtf-csrf-token")` (HMAC-SHA1, `django-concat` key
 * derivation), valid for `timeLimitSeconds`. In flask mode Latchkey accepts them besides its own,
 * so the Flask app's forms still post once the path they post to is Latchkey's.
 *
 * @example
 * const wtf = createFlaskWtfTokens({ secretKey: process.env.FLASK_SECRET_KEY! });
 * wtf.verify(request.body.csrf_token, session.get('csrf_token'), Date.now());
 */
export function createFlaskWtfTokens({ secretKey, timeLimitSeconds = FLASK_WTF_TIME_LIMIT_SECONDS }: { secretKey: SecretKey; timeLimitSeconds?: number }): FlaskWtfTokens {
  const signer = createTimestampSigner([secretKey], SALT, 'django-concat');
  return {
    issue: (sessionToken, nowMs) => signer.sign(encodeBase64Url(Buffer.from(JSON.stringify(sessionToken))), Math.floor(nowMs / 1000)),
    verify(token, sessionToken, nowMs) {
      if (typeof token !== 'string' || token.length > 512 || typeof sessionToken !== 'string' || sessionToken === '') return false;
      const unsigned = signer.unsign(token);
      if (unsigned === null) return false;
      const age = Math.floor(nowMs / 1000) - unsigned.timestampSeconds;
      if (age > timeLimitSeconds || age < -60) return false;
      const payload = decodeBase64Url(unsigned.payload);
      let raw: unknown;
      try {
        raw = payload === null ? null : JSON.parse(payload.toString('utf8'));
      } catch {
        return false;
      }
      if (typeof raw !== 'string') return false;
      const given = Buffer.from(raw);
      const expected = Buffer.from(sessionToken);
      // compare in constant time, as Flask-WTF does (hmac.compare_digest)
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
