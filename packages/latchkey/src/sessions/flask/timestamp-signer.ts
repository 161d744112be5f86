import { Buffer } from 'node:buffer';
// the default import (not named) lets a test observe that verification uses timingSafeEqual
import crypto from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from './base64.js';

/**
 * A Flask `SECRET_KEY`: text (signed as its UTF-8 bytes) or raw bytes.
 *
 * @example
 * const key: SecretKey = process.env.FLASK_SECRET_KEY ?? Buffer.from('00ff', 'hex');
 */
export type SecretKey = string | Uint8Array;

/** What a verified cookie carried, and which key (0 = newest) verified it. */
export interface Unsigned {
  payload: string;
  timestampSeconds: number;
  keyIndex: number;
}

/**
 * itsdangerous's `TimestampSigner` as Flask configures it for sessions:
 * signing key = HMAC-SHA1(secret key, salt) (`key_derivation="hmac"`),
 * cookie = `payload.timestamp.signature` where the timestamp is the signing
 * second as minimal big-endian bytes and the signature is
 * HMAC-SHA1(signing key, `payload.timestamp`), both base64url unpadded.
 * With `"django-concat"`, itsdangerous's default (Flask-WTF's CSRF tokens use
 * it), the signing key is SHA1(salt + "signer" + secret key).
 */
export interface TimestampSigner {
  /** Signs with the newest key. */
  sign(payload: string, timestampSeconds: number): string;
  /** Verifies with any key; null unless the signature is valid and canonical. Ages are not checked here. */
  unsign(cookie: string): Unsigned | null;
}

/**
 * Creates the signer for a list of secret keys, newest first.
 *
 * @example
 * const signer = createTimestampSigner(['new key', 'old key'], 'cookie-session');
 * const cookie = signer.sign('eyJhIjoxfQ', 1_700_000_000);
 * signer.unsign(cookie); // { payload: 'eyJhIjoxfQ', timestampSeconds: 1700000000, keyIndex: 0 }
 */
export function createTimestampSigner(
  secretKeys: readonly SecretKey[],
  salt: string,
  keyDerivation: 'hmac' | 'django-concat' = 'hmac',
): TimestampSigner {
  const signingKeys = secretKeys.map((key) => keyDerivation === 'hmac'
    ? crypto.createHmac('sha1', key).update(salt, 'utf8').digest()
    : crypto.createHash('sha1').update(salt, 'utf8').update('signer').update(key).digest());
  const mac = (key: Buffer, text: string): Buffer => crypto.createHmac('sha1', key).update(text, 'utf8').digest();

  return {
    sign(payload, timestampSeconds) {
      const [newest] = signingKeys;
      if (newest === undefined) throw new TypeError('no secret key to sign with');
      const signed = `${payload}.${encodeTimestamp(timestampSeconds)}`;
      return `${signed}.${encodeBase64Url(mac(newest, signed))}`;
    },

    unsign(cookie) {
      const signatureAt = cookie.lastIndexOf('.');
      if (signatureAt < 0) return null;
      const signed = cookie.slice(0, signatureAt);
      const signature = decodeBase64Url(cookie.slice(signatureAt + 1));
      if (signature === null || signature.length !== 20) return null;
      // compare in constant time: a timing leak would reveal the signature byte by byte
      const keyIndex = signingKeys.findIndex((key) => crypto.timingSafeEqual(mac(key, signed), signature));
      if (keyIndex < 0) return null;

      const timestampAt = signed.lastIndexOf('.');
      const timestampSeconds = timestampAt < 0 ? null : decodeTimestamp(signed.slice(timestampAt + 1));
      if (timestampSeconds === null) return null;
      return { payload: signed.slice(0, timestampAt), timestampSeconds, keyIndex };
    },
  };
}

function encodeTimestamp(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new RangeError(`bad timestamp ${seconds}`);
  const bytes: number[] = [];
  for (let rest = seconds; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return encodeBase64Url(Buffer.from(bytes));
}

/** Only the minimal spelling itsdangerous writes: 1 to 8 bytes, no leading zero byte. */
function decodeTimestamp(text: string): number | null {
  const bytes = decodeBase64Url(text);
  if (bytes === null || bytes.length === 0 || bytes.length > 8 || bytes[0] === 0) return null;
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}
