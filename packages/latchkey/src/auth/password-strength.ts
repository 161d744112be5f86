import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * zxcvbn looks at this many characters at most. Its cost grows steeply with length (a 72-character
 * string of look-alike symbols took 400-600 ms on the event loop with its defaults), and whoever
 * signs up chooses the input; 32 characters keep the worst case we found near 20-60 ms. A longer
 * password is judged by its first 32 characters, which is where a weak one shows.
 */
export const STRENGTH_CHECKED_CHARACTERS = 32;
/** Undoing more look-alike substitutions than this (`@` for `a`…) is where the cost went; real passwords use a few. */
const MAX_L33T_SUBSTITUTIONS = 8;

let zxcvbn: ZxcvbnFactory | null = null;

/** Built on first use: ranking the dictionaries takes about 150 ms. */
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
    maxLength: STRENGTH_CHECKED_CHARACTERS,
    l33tMaxSubstitutions: MAX_L33T_SUBSTITUTIONS,
  });
  return zxcvbn;
}

/**
 * What zxcvbn makes of a password.
 *
 * @example
 * const { score, feedback } = passwordStrength('aaaaaaaa'); // 0, 'Repeated characters like "aaa" are easy to guess. …'
 */
export interface Strength {
  /** zxcvbn's 0-4: 3 and up resist an offline attack on a slow hash. */
  score: number;
  /** Why it is weak and what would help, in English; empty when zxcvbn has nothing to say. */
  feedback: string;
}

/**
 * How hard `password` is to guess, by zxcvbn with the common and English dictionaries; words such
 * as the username or real name count as known to the attacker.
 *
 * @example
 * passwordStrength('Summer2024!', ['alice']).score; // 2
 */
export function passwordStrength(password: string, userInputs: readonly string[] = []): Strength {
  const inputs = userInputs.filter((input) => input !== '').map((input) => input.slice(0, 100));
  const { score, feedback } = estimator().check(password, inputs);
  const text = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ');
  return { score, feedback: text.replace(/\s+/g, ' ').trim() };
}
