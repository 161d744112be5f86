import type { Keyring } from './keyring.js';
import type { Flash, FlashCategory } from './session.js';

const CATEGORIES: readonly FlashCategory[] = ['success', 'error', 'info'];
const MAX_FLASHES = 10;

/**
 * Flash messages ride in a signed cookie of their own, so a flash for an anonymous visitor
 * ("Please log in first") creates no server row and survives the logout that ended the session.
 */
export function encodeFlashes(keyring: Keyring, flashes: readonly Flash[]): string {
  return keyring.sign(Buffer.from(JSON.stringify(flashes.slice(-MAX_FLASHES))).toString('base64url'));
}

/** The flashes in a cookie, or none when it is missing, tampered or malformed. */
export function decodeFlashes(keyring: Keyring, cookie: string | undefined): Flash[] {
  const unsigned = cookie ? keyring.unsign(cookie) : null;
  if (!unsigned) return [];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isFlash).slice(0, MAX_FLASHES);
  } catch {
    return [];
  }
}

function isFlash(value: unknown): value is Flash {
  const flash = value as Partial<Flash> | null;
  return typeof flash?.message === 'string' && CATEGORIES.includes(flash.category as FlashCategory);
}
