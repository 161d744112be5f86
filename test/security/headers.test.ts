import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PASSWORD, createTestApp, logIn, signUp } from '../helpers.js';
import type { Response } from '../helpers.js';
import { ClientAt } from './support.js';

/** One page of each kind a visitor can meet, logged out and logged in, errors included. */
async function pagesOfEveryKind() {
  const app = await createTestApp({ loginThrottle: { freeFailures: 1, ipFreeFailures: 100, firstDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000, ipWindowMs: 3_600_000 } });
  const visitor = new ClientAt(app, '198.51.100.7');
  const pages: Record<string, Response> = {};
  for (const url of ['/', '/users/login', '/users/signup', '/messages', '/no/such/page']) pages[url] = await visitor.get(url);
  pages['415'] = await visitor.request({ method: 'POST', url: '/users/login', payload: '{}', headers: { 'content-type': 'application/json' } });
  await logIn(visitor, 'nobody', 'wrong password');
  pages['429'] = await logIn(visitor, 'nobody', 'wrong password');
  assert.equal(pages['429'].statusCode, 429);
  const alice = new ClientAt(app, '198.51.100.8');
  const id = await signUp(alice, 'alice');
  for (const url of ['/users/welcome', '/users', `/users/${id}`, `/users/${id}/edit`, `/users/${id}/messages/new`]) pages[url] = await alice.get(url);
  return pages;
}

describe('security headers', () => {
  test('every page has a Content-Security-Policy that needs no unsafe-inline', async () => {
    for (const [name, page] of Object.entries(await pagesOfEveryKind())) {
      const csp = String(page.headers['content-security-policy'] ?? '');
      assert.match(csp, /default-src 'self'/, name);
      assert.match(csp, /object-src 'none'/, name);
      assert.match(csp, /base-uri 'none'/, name);
      assert.match(csp, /frame-ancestors 'none'/, name);
      assert.match(csp, /script-src 'self'(;|$)/, name);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, name);
    }
  });

  test('no page relies on inline script or style, so the policy breaks nothing', async () => {
    for (const [name, page] of Object.entries(await pagesOfEveryKind())) {
      assert.doesNotMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/i, `${name}: inline script`);
      assert.doesNotMatch(page.body, /<style\b/i, `${name}: style element`);
      assert.doesNotMatch(page.body, /\sstyle=/i, `${name}: style attribute`);
      assert.doesNotMatch(page.body, /\son[a-z]+=/i, `${name}: event handler attribute`);
      assert.doesNotMatch(page.body, /href="javascript:/i, `${name}: javascript: link`);
    }
  });

  test('every page forbids sniffing, keeps the referrer and its window to itself', async () => {
    for (const [name, page] of Object.entries(await pagesOfEveryKind())) {
      assert.equal(page.headers['x-content-type-options'], 'nosniff', name);
      assert.equal(page.headers['referrer-policy'], 'same-origin', name);
      assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin', name);
    }
  });

  test('in production HTTPS is pinned for a year, subdomains included; not on a development http://localhost', async () => {
    const production = await createTestApp({ secureCookies: true });
    const hsts = String((await production.inject({ method: 'GET', url: '/' })).headers['strict-transport-security']);
    assert.ok(Number(/max-age=(\d+)/.exec(hsts)?.[1]) >= 31_536_000, hsts);
    assert.match(hsts, /includeSubDomains/);
    const development = await createTestApp();
    assert.equal((await development.inject({ method: 'GET', url: '/' })).headers['strict-transport-security'], undefined);
  });
});

describe('request limits', () => {
  test('a wrong content type on a form route is a 415, and nothing is parsed or stored', async () => {
    const app = await createTestApp();
    const client = new ClientAt(app, '198.51.100.7');
    await client.get('/users/signup');
    const form = { csrf_token: client.csrf, username: 'mallory', password: PASSWORD };
    const bodies: Record<string, string> = {
      'application/json': JSON.stringify(form),
      'text/plain': new URLSearchParams(form).toString(),
      'multipart/form-data; boundary=x': Object.entries(form).map(([name, value]) => `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + '--x--\r\n',
      'application/xml': '<user><username>mallory</username></user>',
    };
    for (const [type, payload] of Object.entries(bodies)) {
      const response = await client.request({ method: 'POST', url: '/users/signup', payload, headers: { 'content-type': type } });
      assert.equal(response.statusCode, 415, type);
      assert.match(response.body, /accepts only form submissions/, type);
    }
    const untyped = await client.request({ method: 'POST', url: '/users/signup', payload: new URLSearchParams(form).toString() });
    assert.equal(untyped.statusCode, 415, 'no content type');
    assert.equal((await logIn(client, 'mallory', PASSWORD)).statusCode, 401, 'no account was made');
  });

  test('a body over 64 KiB is refused with a 413 before it is read into a form', async () => {
    const app = await createTestApp();
    const client = new ClientAt(app, '198.51.100.7');
    await client.get('/users/signup');
    const response = await client.post('/users/signup', { username: 'mallory', password: PASSWORD, first_name: 'x'.repeat(70 * 1024) });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /That submission is too large\./);
    assert.equal((await logIn(client, 'mallory', PASSWORD)).statusCode, 401);
  });
});
