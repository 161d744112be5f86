import { Buffer } from 'node:buffer';

const URL_SAFE = /^[A-Za-z0-9_-]*$/;
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Base64url without padding, as itsdangerous writes every part of a cookie.
 *
 * @example
 * encodeBase64Url(Buffer.from('hi')); // 'aGk'
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decodes base64url only in the one spelling {@link encodeBase64Url} writes,
 * else null. Python's decoder (and Node's) also accept `+` and `/`, skip
 * stray characters and ignore the spare low bits of the last character, so
 * one signature has several spellings; a second spelling of a valid
 * signature must not verify.
 *
 * @example
 * decodeBase64Url('aGk')?.toString(); // 'hi'
 * decodeBase64Url('aGl');             // null: same bytes, spare bits set
 */
export function decodeBase64Url(text: string): Buffer | null {
  if (!URL_SAFE.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/**
 * Standard base64 with padding, as Flask's `" b"` tag writes bytes
 * (`base64.b64encode`).
 *
 * @example
 * encodeBase64(Buffer.from('hi')); // 'aGk='
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard padded base64 in its one canonical spelling, else null.
 *
 * @example
 * decodeBase64('aGk=')?.toString(); // 'hi'
 */
export function decodeBase64(text: string): Buffer | null {
  if (!STANDARD.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
