import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { createFlaskCookieSerializer } from '../../src/sessions/flask/index.js';
import { createFlaskOracle, needsFlask } from './flask-oracle.js';
import { fromSpec, type Spec } from './python-spec.js';

type Opened = { value: Spec; error: string | null };
type Brief = { keys: string[]; jsonBytes: number; error: string | null };

const NOW = 1_700_000_000;
const MAX_AGE = 3600;
const KEY = 'the key Latchkey shares with Flask';
const oracle = createFlaskOracle();
after(() => oracle.close());

const latchkey = createFlaskCookieSerializer({ secretKeys: [KEY], maxAgeSeconds: MAX_AGE });
const flaskOpens = (cookie: string, now = NOW) =>
  oracle.call<Opened>('open', { secretKey: KEY, maxAge: MAX_AGE, cookie, now });
const NO_SESSION = { $dict: [] };

test('both refuse a payload rewritten to another user', needsFlask, async () => {
  const [, stamp, signature] = latchkey.dumps({ user_id: 1 }, NOW * 1000).split('.');
  const forged = `${Buffer.from('{"user_id":2}').toString('base64url')}.${stamp}.${signature}`;
  assert.equal(latchkey.loads(forged, NOW * 1000), null);
  assert.deepEqual((await flaskOpens(forged)).value, NO_SESSION);
});

test('both refuse a cookie signed with another key', needsFlask, async () => {
  const foreign = createFlaskCookieSerializer({ secretKeys: ['another app'], maxAgeSeconds: MAX_AGE });
  const cookie = foreign.dumps({ user_id: 1 }, NOW * 1000);
  assert.equal(latchkey.loads(cookie, NOW * 1000), null);
  assert.deepEqual((await flaskOpens(cookie)).value, NO_SESSION);
});

test('both accept a cookie exactly maxAge old and refuse it one second later', needsFlask, async () => {
  const cookie = latchkey.dumps({ user_id: 1 }, NOW * 1000);
  const then = NOW + MAX_AGE;
  assert.deepEqual(latchkey.loads(cookie, then * 1000)?.value, { user_id: 1 });
  assert.deepEqual(fromSpec((await flaskOpens(cookie, then)).value), { user_id: 1 });
  assert.equal(latchkey.loads(cookie, (then + 1) * 1000), null);
  assert.equal((await flaskOpens(cookie, then + 1)).error, 'SignatureExpired');
});

test('both refuse a signing time further ahead than the allowed clock skew', needsFlask, async () => {
  const cookie = latchkey.dumps({ user_id: 1 }, (NOW + 61) * 1000);
  assert.equal(latchkey.loads(cookie, NOW * 1000), null);
  assert.equal((await flaskOpens(cookie)).error, 'SignatureExpired');
});

test('accepts a signing time a few seconds ahead (another server\'s clock), where itsdangerous refuses any', needsFlask, async () => {
  const cookie = latchkey.dumps({ user_id: 1 }, (NOW + 5) * 1000);
  assert.deepEqual(latchkey.loads(cookie, NOW * 1000)?.value, { user_id: 1 });
  assert.equal((await flaskOpens(cookie)).error, 'SignatureExpired');
});

test('both treat malformed cookies as no session', needsFlask, async () => {
  const valid = latchkey.dumps({ user_id: 1 }, NOW * 1000);
  const [payload, stamp] = valid.split('.');
  for (const cookie of ['garbage', 'a.b', 'a.b.c', '.', '...', `${payload}.${stamp}`, `${valid}.`, `.${valid}`, `${payload}..${stamp}`]) {
    assert.equal(latchkey.loads(cookie, NOW * 1000), null, cookie);
    assert.deepEqual((await flaskOpens(cookie)).value, NO_SESSION, cookie);
  }
});

test('Flask accepts second spellings of a valid signature; Latchkey accepts only the one it writes', needsFlask, async () => {
  let cookie = '';
  for (let id = 0; !/[-_]/.test(cookie.slice(-27)); id++) cookie = latchkey.dumps({ user_id: id }, NOW * 1000);
  const head = cookie.slice(0, -27);
  const signature = cookie.slice(-27);
  const last = signature.at(-1) ?? 'A';
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // 20 bytes fill 27 characters with 2 bits to spare: flipping them keeps the bytes
  const spareBits = ALPHABET[ALPHABET.indexOf(last) ^ 0b01] ?? '';
  const spellings = {
    'spare low bits set': `${head}${signature.slice(0, -1)}${spareBits}`,
    'standard alphabet (+ and /)': `${head}${signature.replaceAll('-', '+').replaceAll('_', '/')}`,
    'padding added': `${cookie}=`,
  };
  for (const [what, spelling] of Object.entries(spellings)) {
    assert.notEqual(spelling, cookie);
    assert.equal((await flaskOpens(spelling)).error, null, `Flask accepts ${what}`);
    assert.equal(latchkey.loads(spelling, NOW * 1000), null, `Latchkey refuses ${what}`);
  }
});

test('Flask inflates a signed zip bomb in full; Latchkey stops at maxJsonBytes', needsFlask, async () => {
  const bomb = `.${deflateSync(`{"a":"${'a'.repeat(4_000_000)}"}`, { level: 9 }).toString('base64url')}`;
  const { cookie } = await oracle.call<{ cookie: string }>('sign_payload', { secretKey: KEY, payload: bomb, now: NOW });
  assert.ok(cookie.length < 8192, `the bomb fits a cookie: ${cookie.length} characters`);

  const flask = await oracle.call<Brief>('open', { secretKey: KEY, maxAge: MAX_AGE, cookie, now: NOW, brief: true });
  assert.equal(flask.error, null);
  assert.ok(flask.jsonBytes > 4_000_000, 'Flask holds megabytes from a few kilobytes of cookie');

  const started = performance.now();
  assert.equal(latchkey.loads(cookie, NOW * 1000), null);
  assert.ok(performance.now() - started < 200, 'refused without inflating it all');
});
