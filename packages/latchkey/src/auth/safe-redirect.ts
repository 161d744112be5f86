const FALLBACK_ORIGIN = 'http://latchkey.invalid';

/**
 * The path to send a user to after login, when `next` names a page of this site; null for anything
 * that could leave it (`//evil`, `/\evil`, `https://evil`, `javascript:`, encoded or with control
 * characters), so an open redirect never helps a phishing link (ASVS 3.7.2).
 *
 * @example
 * return reply.redirect(safeNextPath(request.query.next) ?? '/');
 * safeNextPath('//evil.example'); // null
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048 || !isLocalPath(next)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return null;
  }
  // a server or proxy that decodes once more must not find another site inside either
  if (!isLocalPath(decoded)) return null;
  const url = new URL(next, FALLBACK_ORIGIN);
  if (url.origin !== FALLBACK_ORIGIN) return null;
  const path = url.pathname + url.search + url.hash;
  // dot segments collapse: `/.//evil` and `/a/..//evil` become `//evil` only now
  return isLocalPath(path) ? path : null;
}

/**
 * A path on this host: one leading slash and nothing a browser reads as another host. Browsers
 * treat backslashes as slashes and drop tabs and newlines, so those are refused rather than guessed.
 */
function isLocalPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(path);
}
