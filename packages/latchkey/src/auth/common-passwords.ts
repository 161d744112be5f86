import { dictionary } from '@zxcvbn-ts/language-common';

let common: ReadonlySet<string> | null = null;

/**
 * The 49,000 most common passwords from real breaches, ordered by frequency, as shipped inside
 * `@zxcvbn-ts/language-common` (maintained with zxcvbn-ts; the list is compiled into the package,
 * so nothing is fetched at install or run time). Lowercased: `Password1` is as guessable as
 * `password1`. Built on first use.
 */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return common;
}

/**
 * True when `password` is on the common-password list (ASVS 6.2.4 asks for at least the top 3000).
 *
 * @example
 * isCommonPassword('Password1'); // true
 */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/**
 * How many passwords the list holds, for the docs and tests.
 *
 * @example
 * `Not one of the ${commonPasswordCount().toLocaleString('en')} most common passwords`
 */
export function commonPasswordCount(): number {
  return commonPasswords().size;
}
