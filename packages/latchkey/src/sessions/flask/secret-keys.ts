import type { SecretKey } from './timestamp-signer.js';

/**
 * Orders a Flask app's keys newest first, for `secretKeys`. Flask ≥ 3.1
 * signs with `SECRET_KEY` and also verifies with `SECRET_KEY_FALLBACKS`,
 * which it lists oldest to newest (the last fallback is tried first).
 *
 * @example
 * flaskSecretKeys('key-2025', ['key-2023', 'key-2024']);
 * // ['key-2025', 'key-2024', 'key-2023']
 */
export function flaskSecretKeys(secretKey: SecretKey, fallbacks: readonly SecretKey[] = []): SecretKey[] {
  return [secretKey, ...[...fallbacks].reverse()];
}
