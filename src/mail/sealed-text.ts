import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface TextSealer {
  /** The text encrypted and authenticated with the newest key. */
  seal(text: string): string;
  /** The text, or null when no key opens it (tampered, or sealed with a key since dropped). */
  open(sealed: string): string | null;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a key per secret, stretched with HKDF for one purpose. Queued mail carries
 * live links (a password-reset token among them), and tokens are stored only as hashes: sealed,
 * a copy of the database alone opens no account.
 *
 * @example
 * const sealer = createTextSealer(config.secretKeys, 'mail-queue');
 * sealer.open(sealer.seal('hello')); // 'hello'
 */
export function createTextSealer(secrets: readonly string[], purpose: string): TextSealer {
  const keys = secrets.map((secret) => Buffer.from(hkdfSync('sha256', secret, 'latchkey', purpose, 32)));
  return {
    seal(text) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const bytes = Buffer.from(sealed, 'base64');
      if (bytes.length < IV_BYTES + TAG_BYTES) return null;
      const iv = bytes.subarray(0, IV_BYTES);
      const tag = bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const body = bytes.subarray(IV_BYTES + TAG_BYTES);
      for (const key of keys) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, iv);
          decipher.setAuthTag(tag);
          return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
        } catch {
          // not this key: try the next
        }
      }
      return null;
    },
  };
}
