/**
 * Usernames are compared the way people read them, not byte by byte: `Admin`, `admin` and `ADMIN`
 * are one name, and so are `Il`, `lI` and `ll`, or `modern` and `modem`. The spelling a user chose
 * is kept for display; comparisons use a key, in the spirit of the "skeleton" of Unicode TS #39
 * (Security Mechanisms, section 4: confusable detection), with a deliberately small table.
 */

/**
 * Single characters drawn (nearly) alike, each mapped to one stand-in. Case is folded first, so a
 * lowercase `i` stands for the capital `I`, which looks like `l`. Letters of other scripts are
 * listed for when usernames may hold them; today the username rule allows ASCII only.
 */
export const LOOKALIKE_CHARACTERS: Readonly<Record<string, string>> = {
  i: 'l', // I (capital i) and l
  '1': 'l',
  '|': 'l',
  '0': 'o',
  а: 'a', // Cyrillic а
  е: 'e', // Cyrillic е
  о: 'o', // Cyrillic о
  р: 'p', // Cyrillic р
  с: 'c', // Cyrillic с
  у: 'y', // Cyrillic у
  х: 'x', // Cyrillic х
  і: 'l', // Cyrillic і
  ο: 'o', // Greek omicron
  ι: 'l', // Greek iota
};

/** Pairs of letters that together look like one, replaced after the single characters. */
export const LOOKALIKE_SEQUENCES: readonly (readonly [string, string])[] = [
  ['rn', 'm'],
  ['vv', 'w'],
];

/**
 * The name with case ignored: NFKC (so full-width `Ａ` is `A`), then a full case fold (upper then
 * lower, so `ß` and `SS` agree). Two usernames with the same folded form are the same name, and
 * login accepts any case of a name.
 *
 * @example
 * foldUsername('Admin') === foldUsername('ADMIN') // true
 */
export function foldUsername(username: string): string {
  return username.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * The key that decides whether two usernames may both exist: the folded name with lookalike
 * characters and pairs replaced. Stored as `users.username_key`, unique in the database.
 *
 * @example
 * usernameKey('Il') === usernameKey('ll') // true: both are 'll'
 * usernameKey('modern') === usernameKey('modem') // true
 */
export function usernameKey(username: string): string {
  let key = '';
  for (const character of foldUsername(username)) key += LOOKALIKE_CHARACTERS[character] ?? character;
  for (const [pair, single] of LOOKALIKE_SEQUENCES) key = key.replaceAll(pair, single);
  return key;
}
