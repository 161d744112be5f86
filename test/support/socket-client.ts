import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SocketClientOptions {
  /** The source address to connect from (any 127.x.y.z on Linux), so one machine can be many clients. */
  localAddress?: string;
  /** Keep connections open between requests (default true, as browsers do). */
  keepAlive?: boolean;
  /** Give up on a request after this long: a hung server fails the test instead of stalling it. */
  timeoutMs?: number;
}

/**
 * A browser in miniature over real sockets (HTTP, or HTTPS that accepts a self-signed test
 * certificate): keeps cookies, reads the CSRF token of the last page with a form, posts forms.
 * For tests against a running server or a proxy, by base URL and from a chosen source address;
 * `test/helpers.ts` has the same for `inject()`, and `http-client.ts` one jar for several sites.
 *
 * @example
 * const alice = new SocketClient(nginx.url, { localAddress: '127.0.0.2' });
 * await alice.get('/users/login');
 * await alice.post('/users/login', { username: 'alice', password });
 */
export class SocketClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  readonly #agent: HttpAgent;
  constructor(
    public baseUrl: string,
    readonly options: SocketClientOptions = {},
  ) {
    const agentOptions = { keepAlive: options.keepAlive ?? true, maxSockets: 4, ...(options.localAddress ? { localAddress: options.localAddress } : {}) };
    this.#agent = baseUrl.startsWith('https:') ? new HttpsAgent({ ...agentOptions, rejectUnauthorized: false }) : new HttpAgent(agentOptions);
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Copies another client's cookies: the same browser, talking to another server. */
  sameBrowserAs(other: SocketClient): this {
    for (const [name, value] of other.cookies) this.cookies.set(name, value);
    this.csrf = other.csrf;
    return this;
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const allHeaders: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) allHeaders.cookie = this.cookieHeader;
    if (body !== undefined) allHeaders['content-length'] = String(Buffer.byteLength(body));
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      const outgoing = send(url, { method, headers: allHeaders, agent: this.#agent, timeout: this.options.timeoutMs ?? 10_000 }, (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }));
        incoming.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path}: no answer within ${this.options.timeoutMs ?? 10_000} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    const setCookies = response.headers['set-cookie'] ?? [];
    for (const header of Array.isArray(setCookies) ? setCookies : [setCookies]) {
      const [pair = '', ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || attributes.some((attribute) => /^\s*max-age=0/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = /name="csrf_token" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a form with this client's CSRF token (fetching the login page first when it has none). */
  async post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<HttpResponse> {
    if (!this.csrf) await this.get('/users/login');
    const body = new URLSearchParams({ csrf_token: this.csrf, ...form }).toString();
    return this.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  /** Closes its kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}
