import { isCommonPassword } from './common-passwords.js';

/**
 * bcrypt reads only the first 72 bytes of a password; longer ones are refused, never truncated.
 *
 * @example
 * `<input name="password" type="password" maxlength="${MAX_PASSWORD_BYTES}">`
 */
export const MAX_PASSWORD_BYTES = 72;
/**
 * The shortest password `passwordProblem` accepts, in characters (NIST SP 800-63B).
 *
 * @example
 * `<input name="password" type="password" minlength="${MIN_PASSWORD_CHARACTERS}" required>`
 */
export const MIN_PASSWORD_CHARACTERS = 8;

/**
 * Why a new password is unacceptable, or null when it is fine. Follows NIST SP 800-63B and ASVS
 * 6.2: a minimum length, a maximum that bcrypt can honour (counted in UTF-8 bytes, since that is
 * what bcrypt counts), a check against the most common passwords, and no composition rules.
 *
 * @example
 * passwordProblem('password1'); // 'This is one of the most common passwords, …'
 * passwordProblem('correct horse battery'); // null
 */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_CHARACTERS) {
    return `Use at least ${MIN_PASSWORD_CHARACTERS} characters.`;
  }
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} bytes (this one has ${bytes}; accented letters and emoji take 2 to 4 bytes each).`;
  }
  if (isCommonPassword(password)) {
    return 'This is one of the most common passwords, so it is among the first an attacker tries. Please choose another; a few unrelated words make a strong one.';
  }
  return null;
}
