const FALLBACK_ORIGIN = 'http://latchkey.invalid';

/**
 * The path to send a user to after login, when `next` names a page of this site; null for anything
 * that could leave it (`//evil`, `/\evil`, `https://evil`, `javascript:`, encoded or with control
 * characters), so an open redirect never helps a phishing link.
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  // browsers treat backslashes as slashes and drop tabs and newlines: refuse rather than guess
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return null;
  }
  if (decoded.startsWith('//') || decoded.startsWith('/\\') || /[\u0000-\u001f\u007f]/.test(decoded)) return null;
  const url = new URL(next, FALLBACK_ORIGIN);
  if (url.origin !== FALLBACK_ORIGIN) return null;
  return url.pathname + url.search + url.hash;
}
