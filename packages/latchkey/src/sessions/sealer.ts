import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';
import { createMemo } from './memo.js';

/**
 * Protects a cookie's text: `seal` with the newest key, `open` with any key, `renew` when an older
 * key was used. `open` returns null for anything it did not seal, never throws.
 */
export interface Sealer {
  seal(text: string): string;
  open(cookie: string): { text: string; renew: boolean } | null;
}

/** Signed mode: readable text with an HMAC-SHA256 signature (tamper-evident, not secret). */
export function signingSealer(keyring: Keyring): Sealer {
  return {
    seal: (text) => keyring.sign(Buffer.from(text).toString('base64url')),
    open(cookie) {
      const unsigned = keyring.unsign(cookie);
      return unsigned ? { text: Buffer.from(unsigned.value, 'base64url').toString('utf8'), renew: unsigned.renew } : null;
    },
  };
}

const AAD = Buffer.from('latchkey-session-v1');

/**
 * Encrypted mode: AES-256-GCM with a fresh 96-bit IV per cookie, as `keyId.iv.ciphertext.tag`.
 * The key id names which secret sealed it, so rotation works as in signed mode.
 */
export function encryptingSealer(secrets: readonly string[]): Sealer {
  const keys = secrets.map((secret) => {
    const key = Buffer.from(hkdfSync('sha256', secret, 'latchkey', 'session-encryption', 32));
    return { key, id: createHash('sha256').update(key).digest('base64url').slice(0, 8) };
  });
  // a browser sends the same cookie until it is sealed anew: open each once (only what opened;
  // anything else gets the full check every time, as with the keyring's signatures)
  const opened = createMemo<{ text: string; renew: boolean }>(10_000);
  return {
    seal(text) {
      const { key, id } = keys[0]!;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(AAD);
      const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return [id, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(cookie) {
      const known = opened.get(cookie);
      if (known) return known;
      const [id, ivText, sealedText, tagText, extra] = cookie.split('.');
      const index = keys.findIndex((key) => key.id === id);
      if (index < 0 || extra !== undefined) return null;
      // canonical encodings only: base64's spare bits and stray characters would let many
      // cookies open as one, and a sealed value must have exactly one spelling
      const iv = canonicalBase64url(ivText, 12);
      const authTag = canonicalBase64url(tagText, 16);
      const sealed = canonicalBase64url(sealedText);
      if (!iv || !authTag || !sealed) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', keys[index]!.key, iv).setAAD(AAD);
        decipher.setAuthTag(authTag);
        const result = { text: Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8'), renew: index > 0 };
        opened.set(cookie, result);
        return result;
      } catch {
        return null; // wrong key, tampered ciphertext or tag: GCM refuses it
      }
    },
  };
}

/** The bytes of `text` when it is base64url in its one canonical spelling (and of `length` bytes, when given); else null. */
export function canonicalBase64url(text: string | undefined, length?: number): Buffer | null {
  if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text || (length !== undefined && bytes.length !== length)) return null;
  return bytes;
}
