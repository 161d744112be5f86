/**
 * Signs up and logs in through the real HTML forms, the way a browser would:
 * GET the form, read the hidden csrf_token and the cookies, POST the fields
 * urlencoded, keep the session cookie from the 302. Each target does its own auth.
 */
import { randomBytes } from 'node:crypto';
import { createCookieJar } from './cookie-jar.mjs';

const TIMEOUT_MS = 15_000;

/** Reads the value of the hidden `csrf_token` input from a page, or ''. */
export function readCsrfToken(html) {
  const tag = html.match(/<input\b[^>]*\bname=["']?csrf_token["']?[^>]*>/i)?.[0];
  const raw = tag?.match(/\bvalue=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i);
  const value = raw ? (raw[1] ?? raw[2] ?? raw[3]) : '';
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x2F;|&#47;/g, '/');
}

/** One request with the jar's cookies; stores the response's cookies; never follows redirects. */
export async function send(base, path, jar, { method = 'GET', form } = {}) {
  const headers = { 'user-agent': 'latchkey-bench' };
  const cookie = jar.header();
  if (cookie) headers.cookie = cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = base;
    headers.referer = base + path;
    body = new URLSearchParams(form).toString();
  }
  const started = performance.now();
  const response = await fetch(base + path, {
    method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  jar.store(response);
  return { status: response.status, location: response.headers.get('location') ?? '', text, ms: performance.now() - started };
}

async function submitForm(base, path, fields, jar = createCookieJar()) {
  const page = await send(base, path, jar);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  const csrf_token = readCsrfToken(page.text);
  const result = await send(base, path, jar, { method: 'POST', form: { ...fields, csrf_token } });
  return { jar, result };
}

function expectWelcomeRedirect(what, result) {
  if (result.status !== 302 && result.status !== 303) {
    const flash = result.text.match(/class="flash[^"]*"[^>]*>([^<]*)/)?.[1] ?? result.text.slice(0, 200);
    throw new Error(`${what} answered ${result.status} (${flash.trim()})`);
  }
  if (!result.location.includes('/users/welcome')) throw new Error(`${what} redirected to ${result.location}`);
}

/** Creates an account through GET+POST /users/signup; returns the logged-in cookie jar. */
export async function signUp(base, { username, password, first_name, last_name }) {
  const { jar, result } = await submitForm(base, '/users/signup', { username, password, first_name, last_name });
  expectWelcomeRedirect('signup', result);
  return jar;
}

/** Logs in through GET+POST /users/login; returns the POST result and the jar. */
export async function logIn(base, { username, password }) {
  return submitForm(base, '/users/login', { username, password });
}

/** A fresh account description: a unique short username, a random password no policy refuses. */
export function benchUser(tag) {
  const suffix = randomBytes(6).toString('hex');
  return {
    username: `b_${tag}_${suffix}`.slice(0, 24),
    password: `Bx-${randomBytes(15).toString('base64url')}-9q`,
    first_name: 'Bench',
    last_name: 'Marker',
  };
}
