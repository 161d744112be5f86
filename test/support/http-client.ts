const REQUEST_TIMEOUT_MS = 15_000;

export interface HttpResponse {
  status: number;
  body: string;
  location: string | null;
  setCookies: string[];
}

/**
 * A browser in miniature for real servers on 127.0.0.1: one cookie jar for every port, as a
 * browser shares a host's cookies across ports, and no redirect followed unless asked.
 *
 * @example
 * const browser = new HttpClient();
 * await browser.get(`${flask.url}/start_counter`);
 * (await browser.get(`${latchkey.url}/count`)).body; // '1'
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  async request(url: string, { method = 'GET', form, headers = {} }: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = value === '' || value === '""' || attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, body: await response.text(), location: response.headers.get('location'), setCookies };
  }

  get(url: string): Promise<HttpResponse> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>): Promise<HttpResponse> {
    return this.request(url, { method: 'POST', form });
  }

  /** A copy of this browser's cookies in another browser, as a thief with the cookie jar would have. */
  copy(): HttpClient {
    const other = new HttpClient();
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    return other;
  }
}

/** The value of the first hidden `csrf_token` field on a page. */
export function csrfTokenOf(body: string): string {
  const token = /name="csrf_token" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error(`no csrf_token on the page:\n${body.slice(0, 500)}`);
  return token;
}

/** The texts of the flash messages on a page of either app (`<p class="flash…">`). */
export function flashTexts(body: string): string[] {
  return [...body.matchAll(/<p class="flash[^"]*"[^>]*>([^<]*)<\/p>/g)].map((match) =>
    match[1]!.replace(/&#39;|&#x27;/g, "'").replace(/&quot;|&#34;/g, '"').replace(/&amp;/g, '&'),
  );
}
