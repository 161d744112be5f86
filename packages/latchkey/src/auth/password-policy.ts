import { isCommonPassword } from './common-passwords.js';
import { passwordStrength } from './password-strength.js';

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
 * zxcvbn's score a new password needs: 3 is "safely unguessable", about 10^8 guesses.
 *
 * @example
 * passwordStrength(password).score >= MIN_PASSWORD_SCORE; // what passwordProblem asks
 */
export const MIN_PASSWORD_SCORE = 3;

/**
 * What `passwordProblem` knows of the person choosing the password.
 *
 * @example
 * const context: PasswordContext = { username: form.username, userInputs: [form.firstName, form.lastName, 'My Site'] };
 */
export interface PasswordContext {
  /** The account's username: a password containing it is refused outright. */
  username?: string;
  /** Other words an attacker knows: the person's first and last name, the site's name. */
  userInputs?: readonly string[];
}

/**
 * Why a new password is unacceptable, or null when it is fine. Follows NIST SP 800-63B and ASVS
 * 6.2: a minimum length, a maximum that bcrypt can honour (counted in UTF-8 bytes, since that is
 * what bcrypt counts), no password that contains the username, none of the most common
 * passwords, a zxcvbn estimate of how guessable it is (the user's own names counted as known),
 * and no composition rules. The message says what to change.
 *
 * @example
 * passwordProblem('Summer2024!', { username: 'alice', userInputs: ['Alice', 'Smith'] });
 * // 'This password is too easy to guess. Add more words that are less common. …'
 * passwordProblem('correct horse battery'); // null
 */
export function passwordProblem(password: string, { username = '', userInputs = [] }: PasswordContext = {}): string | null {
  if ([...password].length < MIN_PASSWORD_CHARACTERS) {
    return `Use at least ${MIN_PASSWORD_CHARACTERS} characters.`;
  }
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} bytes (this one has ${bytes}; accented letters and emoji take 2 to 4 bytes each).`;
  }
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    return 'Your password must not contain your username: it is the first thing an attacker tries. Please choose another.';
  }
  if (isCommonPassword(password)) {
    return 'This is one of the most common passwords, so it is among the first an attacker tries. Please choose another; a few unrelated words make a strong one.';
  }
  const { score, feedback } = passwordStrength(password, [username, ...userInputs]);
  if (score < MIN_PASSWORD_SCORE) {
    return `This password is too easy to guess. ${feedback || 'Add another word or two that are less common.'}`;
  }
  return null;
}
