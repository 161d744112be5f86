/**
 * Email addresses: kept as the user typed them, compared through a key. `Alice@Example.com` and
 * `alice@example.com` are one address (domains ignore case, and no mail provider people use
 * tells local parts apart by case either), so two accounts cannot hold them.
 */

export const MAX_EMAIL_CHARACTERS = 254;

// the WHATWG "valid email address" (what <input type=email> accepts), with a dot required in the
// domain: an address on a bare host name cannot be reached from the internet
const LOCAL_PART = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${LOCAL_PART}@${LABEL}(?:\\.${LABEL})+$`);

/**
 * Why a typed address cannot be used, or null when it can. Only plain ASCII addresses pass: no
 * spaces, quotes, commas or line breaks, so an address can never smuggle a second recipient or a
 * mail header in.
 *
 * @example
 * emailProblem('alice@example.com') // null
 * emailProblem('alice') // 'Enter an email address such as name@example.com.'
 */
export function emailProblem(email: string): string | null {
  if (email.length > MAX_EMAIL_CHARACTERS) return `Use at most ${MAX_EMAIL_CHARACTERS} characters.`;
  if (!EMAIL.test(email)) return 'Enter an email address such as name@example.com.';
  return null;
}

/**
 * The address as compared: NFKC, then lower case. Stored as `users.email_key`, unique.
 *
 * @example
 * emailKey('Alice@Example.COM') === emailKey('alice@example.com') // true
 */
export function emailKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

/**
 * The address with most of its local part hidden, for a mail to another address or a page that
 * anyone with a link may see: `a***@example.com`.
 *
 * @example
 * maskEmail('alice@example.com') // 'a***@example.com'
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
