import { createHmac, createSecretKey, hkdfSync, type KeyObject, timingSafeEqual } from 'node:crypto';
import { createMemo, memoize } from './memo.js';

/** How many verified signatures and MACs a keyring remembers (a few MB at most). */
const MEMO_ENTRIES = 10_000;

/**
 * Signs and checks values with a list of secrets, newest first: the newest signs, every one
 * verifies, in constant time.
 *
 * @example
 * const ring: Keyring = createKeyring(secrets, 'unsubscribe-link');
 * const link = `/unsubscribe?token=${ring.sign(String(userId))}`;
 */
export interface Keyring {
  /** `value.signature`, signed with the newest key. */
  sign(value: string): string;
  /** The value inside `value.signature`, or null when no key made the signature. `renew` asks for a re-sign with the newest key. */
  unsign(signed: string): { value: string; renew: boolean } | null;
  /** The raw MAC of a value under the newest key, for tokens that are not `value.signature`. */
  mac(value: string): string;
  /** True when `mac` is the MAC of `value` under any key. */
  verifyMac(value: string, mac: string): boolean;
}

/**
 * A keyring for one purpose: each secret is stretched with HKDF into a key of its own for that
 * purpose, so a signature made for sessions is worthless as a CSRF token and the reverse.
 *
 * @example
 * const ring = createKeyring(config.secretKeys, 'session');
 * ring.unsign(ring.sign('abc')); // { value: 'abc', renew: false }
 */
export function createKeyring(secrets: readonly string[], purpose: string): Keyring {
  if (secrets.length === 0) throw new Error('createKeyring needs at least one secret');
  const keys: KeyObject[] = secrets.map((secret) =>
    createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'latchkey', purpose, 32))),
  );
  const macWith = (key: KeyObject, value: string) => createHmac('sha256', key).update(value).digest();
  // every request presents the same few cookies again and again: remember what verified (never
  // what failed, so a miss always does the full check) and the MACs handed out
  const verified = createMemo<{ value: string; renew: boolean }>(MEMO_ENTRIES);
  const newestMac = memoize((value: string) => macWith(keys[0]!, value).toString('base64url'), MEMO_ENTRIES);

  function matchingKey(value: string, mac: string): number {
    const given = Buffer.from(mac, 'base64url');
    // canonical encodings only: base64's spare bits would let many strings pass as one signature
    if (given.length !== 32 || given.toString('base64url') !== mac) return -1;
    // compare in constant time: a timing leak would reveal the signature byte by byte
    return keys.findIndex((key) => timingSafeEqual(macWith(key, value), given));
  }

  return {
    sign: (value) => `${value}.${newestMac(value)}`,
    mac: newestMac,
    verifyMac(value, mac) {
      const key = `${value}.${mac}`;
      if (verified.get(key)) return true;
      const ok = matchingKey(value, mac) >= 0;
      if (ok) verified.set(key, { value, renew: false });
      return ok;
    },
    unsign(signed) {
      const known = verified.get(signed);
      if (known) return known;
      const dot = signed.lastIndexOf('.');
      if (dot <= 0) return null;
      const value = signed.slice(0, dot);
      const index = matchingKey(value, signed.slice(dot + 1));
      if (index < 0) return null;
      const result = { value, renew: index > 0 };
      verified.set(signed, result);
      return result;
    },
  };
}
