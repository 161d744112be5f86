import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { SessionMode } from 'latchkey';
import { after } from 'node:test';
import { buildApp, type BuildOptions } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';

export const TEST_KEY = 'test-key-0123456789abcdef0123456789abcdef';
/** The Flask app's SECRET_KEY in flask-mode tests. */
export const FLASK_TEST_KEY = 'the Flask app key, shared with Latchkey';

/** The config a session mode needs: flask mode also needs the Flask app's key. */
export function modeConfig(mode: SessionMode): Partial<Config> {
  if (mode !== 'flask') return { sessionMode: mode };
  return { sessionMode: mode, flask: { secretKey: FLASK_TEST_KEY, fallbacks: [], cookieName: 'session', maxAgeSeconds: 31 * 86_400, adoptLogins: true, userIdKey: 'user_id' } };
}
export const PASSWORD = 'correct horse battery';

/** A config for tests: in-memory SQLite, a fixed key, the cheapest bcrypt cost. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const defaults = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: '/nonexistent',
    DATABASE_URL: 'sqlite::memory:',
    SECRET_KEYS: TEST_KEY,
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'silent',
  });
  return { ...defaults, port: 0, ...overrides };
}

/** An app for one test file, closed when the file's tests end. */
export async function createTestApp(overrides: Partial<Config> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides), options);
  after(() => app.close());
  return app;
}

export interface Response {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  location: string | undefined;
}

/**
 * A browser in miniature: keeps cookies between requests, reads the CSRF token from the last page
 * with a form, and sends forms the way a browser does.
 */
export class Client {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly app: FastifyInstance) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(options: InjectOptions): Promise<Response> {
    const headers = { ...(options.headers ?? {}) } as Record<string, string>;
    if (this.cookies.size > 0 && headers.cookie === undefined) headers.cookie = this.cookieHeader;
    const response = await this.app.inject({ ...options, headers });
    const setCookies = response.headers['set-cookie'] ?? [];
    for (const header of Array.isArray(setCookies) ? setCookies : [setCookies]) {
      const [pair = '', ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = value === '' || attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = /name="csrf_token" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    const location = response.headers.location;
    return { statusCode: response.statusCode, headers: response.headers, body: response.body, location: typeof location === 'string' ? location : undefined };
  }

  get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request({ method: 'GET', url, headers });
  }

  /** Posts a form with this client's CSRF token (fetching a page first when it has none). */
  async post(url: string, form: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
    if (!this.csrf) await this.get('/users/login');
    const payload = new URLSearchParams({ csrf_token: this.csrf, ...form }).toString();
    return this.request({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Follows the redirect of a response, as a browser would. */
  follow(response: Response): Promise<Response> {
    if (!response.location) throw new Error(`expected a redirect, got ${response.statusCode}`);
    return this.get(response.location);
  }
}

/** Signs a new user up through the real form; returns their id. */
export async function signUp(client: Client, username = 'alice', password = PASSWORD): Promise<number> {
  await client.get('/users/signup');
  const response = await client.post('/users/signup', { username, password, first_name: 'First', last_name: 'Last' });
  if (response.statusCode !== 302) throw new Error(`signup of ${username} failed: ${response.statusCode} ${response.body}`);
  const welcome = await client.get('/users/welcome');
  const id = /href="\/users\/(\d+)"/.exec(welcome.body)?.[1];
  return Number(id);
}

export async function logIn(client: Client, username = 'alice', password = PASSWORD): Promise<Response> {
  await client.get('/users/login');
  return client.post('/users/login', { username, password });
}

/** The text of the flash messages on a page. */
export function flashes(body: string): string[] {
  return [...body.matchAll(/<p class="flash[^"]*"[^>]*>([^<]*)<\/p>/g)].map((match) => match[1]!.replace(/&#39;/g, "'"));
}

/** A fresh SQLite file, so a test can look at the rows the app wrote. */
export function tempSqliteFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'latchkey-test-')), 'latchkey.db');
}

/** The first row a query returns from a SQLite file right now (read-only), so a test can see what the app stored. */
export function readRow<Row>(file: string, query: string, ...params: unknown[]): Row | undefined {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare(query).get(...params) as Row | undefined;
  } finally {
    db.close();
  }
}

/** How many rows a table of a SQLite file holds right now. */
export function countRows(file: string, table: string): number {
  return readRow<{ n: number }>(file, `SELECT count(*) AS n FROM ${table}`)!.n;
}
