import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, test } from 'node:test';
import { createFlaskCookieSerializer, FlaskTuple } from '../../src/sessions/flask/index.js';
import { createFlaskOracle, needsFlask } from './flask-oracle.js';
import { seededRandom } from './session-fixtures.js';

const NOW = 1_700_000_000;
const KEY = 'the key Latchkey shares with Flask';
const flask = createFlaskCookieSerializer({ secretKeys: [KEY], maxAgeSeconds: 3600 });
const COOKIES = [
  flask.dumps({ user_id: 42, csrf_token: 'a1b2c3' }, NOW * 1000),
  flask.dumps({ _flashes: Array.from({ length: 30 }, () => new FlaskTuple(['message', 'User Created!'])) }, NOW * 1000),
];
const CHARS = 'AZaz09-_.+/=! é😀\u0000';

/** One random edit: the kinds of damage a proxy, a browser or an attacker does to a cookie. */
function mutate(cookie: string, random: () => number): string {
  const at = Math.floor(random() * cookie.length);
  const char = CHARS[Math.floor(random() * CHARS.length)] ?? 'A';
  const parts = cookie.split('.');
  switch (Math.floor(random() * 10)) {
    case 0: return cookie.slice(0, at) + char + cookie.slice(at + 1);
    case 1: return cookie.slice(0, at) + cookie.slice(at + 1);
    case 2: return cookie.slice(0, at) + char + cookie.slice(at);
    case 3: return cookie.slice(0, at) + (cookie[at + 1] ?? '') + (cookie[at] ?? '') + cookie.slice(at + 2);
    case 4: return cookie.slice(0, at);
    case 5: return cookie + cookie.slice(at, at + 1 + Math.floor(random() * 8));
    case 6: return cookie.slice(0, at) + (cookie[at] ?? '').toUpperCase() + cookie.slice(at + 1);
    case 7: return [...parts].reverse().join('.');
    case 8: return respellSignature(cookie, random);
    default: {
      const other = (COOKIES[0] === cookie ? COOKIES[1] : COOKIES[0]) ?? '';
      const index = Math.floor(random() * parts.length);
      parts[index] = other.split('.')[index] ?? '';
      return parts.join('.');
    }
  }
}

/** The spellings Python's lenient base64 decoder reads as the same signature bytes. */
function respellSignature(cookie: string, random: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(cookie.at(-1) ?? '');
  const choice = Math.floor(random() * 3);
  if (choice === 0 && last >= 0) return cookie.slice(0, -1) + (alphabet[last ^ (1 + Math.floor(random() * 3))] ?? '');
  if (choice === 1) return cookie.slice(0, cookie.lastIndexOf('.')) + cookie.slice(cookie.lastIndexOf('.')).replaceAll('-', '+').replaceAll('_', '/');
  return `${cookie}=`;
}

function mutants(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    let cookie = COOKIES[i % COOKIES.length] ?? '';
    for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) cookie = mutate(cookie, random);
    return cookie;
  }).filter((cookie) => !COOKIES.includes(cookie));
}

test('5000 random mutations of valid cookies never throw and never verify', () => {
  const started = performance.now();
  const all = mutants(5000, 1);
  for (const cookie of all) assert.equal(flask.loads(cookie, NOW * 1000), null, JSON.stringify(cookie));
  const elapsed = performance.now() - started;
  assert.ok(all.length > 4500);
  assert.ok(elapsed < 5000, `took ${Math.round(elapsed)} ms`);
});

const oracle = createFlaskOracle();
after(() => oracle.close());

test('every mutation Flask still accepts is only another spelling of the same signature', needsFlask, async (t) => {
  let acceptedByFlask = 0;
  for (const cookie of mutants(400, 2).filter((c) => /^[\x21-\x7e]+$/.test(c) && !/[;,"\\]/.test(c))) {
    const opened = await oracle.call<{ error: string | null }>('open', { secretKey: KEY, maxAge: 3600, cookie, now: NOW });
    if (opened.error !== null) continue;
    acceptedByFlask += 1;
    const original = COOKIES.find((c) => c.slice(0, c.lastIndexOf('.')) === cookie.slice(0, cookie.lastIndexOf('.')));
    assert.ok(original !== undefined, `Flask accepted a changed payload or timestamp: ${cookie}`);
    const decode = (c: string) => Buffer.from(c.slice(c.lastIndexOf('.') + 1).replace(/[^A-Za-z0-9+/_-]/g, ''), 'base64url');
    assert.deepEqual(decode(cookie).subarray(0, 20), decode(original).subarray(0, 20));
  }
  t.diagnostic(`Flask accepted ${acceptedByFlask} mutants that Latchkey refused`);
});
