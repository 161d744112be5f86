/**
 * A minimal cookie jar for one loopback origin. It keeps name → value from
 * Set-Cookie and sends them back regardless of `Secure` or a `__Host-` prefix:
 * the bench talks plain http to 127.0.0.1, where a browser would refuse them.
 */
export function createCookieJar() {
  const cookies = new Map();
  return {
    /** Takes every Set-Cookie header of a fetch Response. */
    store(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq < 1) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some((a) => {
          const [k, v = ''] = a.split('=').map((s) => s.trim());
          if (/^max-age$/i.test(k)) return Number(v) <= 0;
          if (/^expires$/i.test(k)) return Date.parse(v) < Date.now();
          return false;
        });
        if (expired) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    /** The Cookie request header value, or '' when the jar is empty. */
    header() {
      return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    size() { return cookies.size; },
  };
}
