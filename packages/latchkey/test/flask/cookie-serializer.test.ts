import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  createFlaskCookieSerializer, FlaskTuple, flaskSecretKeys, type FlaskCookieSerializerOptions,
} from '../../src/sessions/flask/index.js';
import { createTimestampSigner } from '../../src/sessions/flask/timestamp-signer.js';
import { SESSION_FIXTURES } from './session-fixtures.js';

const NOW_MS = 1_700_000_000_000;
const KEY = 'the key Latchkey shares with Flask';
const options: FlaskCookieSerializerOptions = { secretKeys: [KEY], maxAgeSeconds: 3600 };
const flask = createFlaskCookieSerializer(options);
/** Signs any payload with the session key, so a test can reach past the signature check. */
const signedPayload = (payload: string, nowMs = NOW_MS) =>
  createTimestampSigner([KEY], 'cookie-session').sign(payload, Math.floor(nowMs / 1000));

test('round-trips every fixture session', () => {
  for (const [name, session] of Object.entries(SESSION_FIXTURES)) {
    assert.deepEqual(flask.loads(flask.dumps(session, NOW_MS), NOW_MS), { value: session, renew: false, signedAtSeconds: NOW_MS / 1000 }, name);
  }
});

test('returns null when one character of the payload changes', () => {
  const cookie = flask.dumps({ user_id: 1, _flashes: [new FlaskTuple(['message', 'hi'])] }, NOW_MS);
  const flipped = `${cookie[0] === 'e' ? 'f' : 'e'}${cookie.slice(1)}`;
  assert.equal(flask.loads(flipped, NOW_MS), null);
});

test('returns null for a cookie signed with a key it does not hold', () => {
  const other = createFlaskCookieSerializer({ ...options, secretKeys: ['some other app'] });
  assert.equal(flask.loads(other.dumps({ user_id: 1 }, NOW_MS), NOW_MS), null);
});

test('signs with the newest key and reads older keys with renew: true', () => {
  const rotated = createFlaskCookieSerializer({ ...options, secretKeys: flaskSecretKeys('new', [KEY]) });
  assert.deepEqual(rotated.loads(flask.dumps({ a: 1 }, NOW_MS), NOW_MS), { value: { a: 1 }, renew: true, signedAtSeconds: NOW_MS / 1000 });
  const fresh = rotated.dumps({ a: 1 }, NOW_MS);
  assert.deepEqual(rotated.loads(fresh, NOW_MS), { value: { a: 1 }, renew: false, signedAtSeconds: NOW_MS / 1000 });
  assert.equal(flask.loads(fresh, NOW_MS), null);
});

test('max age: accepts a cookie exactly maxAgeSeconds old and returns null one second later', () => {
  const cookie = flask.dumps({ user_id: 1 }, NOW_MS);
  assert.notEqual(flask.loads(cookie, NOW_MS + 3600_000), null);
  assert.equal(flask.loads(cookie, NOW_MS + 3601_000), null);
  assert.equal(flask.loads(cookie, NOW_MS + 400 * 86_400_000), null);
});

test('future skew: accepts a signing time up to clockSkewSeconds ahead and returns null beyond it', () => {
  assert.notEqual(flask.loads(flask.dumps({ a: 1 }, NOW_MS + 60_000), NOW_MS), null);
  assert.equal(flask.loads(flask.dumps({ a: 1 }, NOW_MS + 61_000), NOW_MS), null);
  // a key holder's far-future stamp would otherwise never expire
  assert.equal(flask.loads(flask.dumps({ a: 1 }, NOW_MS + 10 * 365 * 86_400_000), NOW_MS), null);
  const strict = createFlaskCookieSerializer({ ...options, clockSkewSeconds: 0 });
  assert.equal(strict.loads(flask.dumps({ a: 1 }, NOW_MS + 1000), NOW_MS), null);
});

test('canonical encoding: refuses a second spelling of a valid signature', () => {
  const cookie = flask.dumps({ user_id: 1 }, NOW_MS);
  const signature = cookie.slice(-27);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1) ?? 'A');
  for (const spare of [1, 2, 3]) {
    const respelled = `${cookie.slice(0, -1)}${alphabet[last ^ spare]}`;
    assert.deepEqual(Buffer.from(respelled.slice(-27), 'base64url'), Buffer.from(signature, 'base64url'));
    assert.equal(flask.loads(respelled, NOW_MS), null, `spare bits ${spare}`);
  }
  assert.equal(flask.loads(`${cookie}=`, NOW_MS), null, 'padding');
});

test('canonical encoding: refuses the standard base64 alphabet in a signature', () => {
  let cookie = '';
  for (let id = 0; !/[-_]/.test(cookie.slice(-27)); id++) cookie = flask.dumps({ user_id: id }, NOW_MS);
  const respelled = `${cookie.slice(0, -27)}${cookie.slice(-27).replaceAll('-', '+').replaceAll('_', '/')}`;
  assert.equal(flask.loads(respelled, NOW_MS), null);
});

test('canonical encoding: refuses a timestamp with a leading zero byte even when correctly signed', () => {
  const payload = Buffer.from('{"a":1}').toString('base64url');
  const stamp = Buffer.from([0, ...Buffer.from(signedPayload(payload).split('.')[1] ?? '', 'base64url')]).toString('base64url');
  const derived = crypto.createHmac('sha1', KEY).update('cookie-session').digest();
  const signature = crypto.createHmac('sha1', derived).update(`${payload}.${stamp}`).digest('base64url');
  assert.equal(flask.loads(`${payload}.${stamp}.${signature}`, NOW_MS), null);
  assert.notEqual(flask.loads(signedPayload(payload), NOW_MS), null);
});

test('constant time: every signature check goes through crypto.timingSafeEqual', (t) => {
  const rotated = createFlaskCookieSerializer({ ...options, secretKeys: ['newest', 'middle', KEY] });
  const compare = t.mock.method(crypto, 'timingSafeEqual');
  const cookie = flask.dumps({ a: 1 }, NOW_MS);
  assert.equal(rotated.loads(`${cookie.slice(0, -2)}AA`, NOW_MS), null);
  assert.equal(compare.mock.callCount(), 3, 'one comparison per key');
  assert.notEqual(rotated.loads(cookie, NOW_MS), null);
  assert.equal(compare.mock.callCount(), 6);
  for (const call of compare.mock.calls) assert.equal((call.arguments[0] as Buffer).length, 20);
});

test('decompression cap: returns null for a signed zip bomb without inflating it', () => {
  const bomb = `.${deflateSync(`{"a":"${'a'.repeat(4_000_000)}"}`, { level: 9 }).toString('base64url')}`;
  const cookie = signedPayload(bomb);
  assert.ok(cookie.length < 8192);
  const before = process.memoryUsage().arrayBuffers;
  const started = performance.now();
  assert.equal(flask.loads(cookie, NOW_MS), null);
  assert.ok(performance.now() - started < 200);
  assert.ok(process.memoryUsage().arrayBuffers - before < 1_000_000, 'no megabyte buffers');
  const roomy = createFlaskCookieSerializer({ ...options, maxJsonBytes: 5_000_000 });
  assert.equal((roomy.loads(cookie, NOW_MS)?.value.a as string).length, 4_000_000, 'the bomb is otherwise valid');
});

test('returns null for a cookie longer than maxCookieLength', () => {
  const cookie = flask.dumps({ noise: crypto.randomBytes(3000).toString('base64') }, NOW_MS);
  assert.ok(cookie.length > 4000);
  assert.notEqual(flask.loads(cookie, NOW_MS), null);
  assert.equal(createFlaskCookieSerializer({ ...options, maxCookieLength: 4000 }).loads(cookie, NOW_MS), null);
});

test('returns null for a signed payload that is not a dict, not JSON, or not zlib', () => {
  for (const json of ['[1]', '"x"', 'null', '{" t":[1]}', '{"a":', '\xff']) {
    assert.equal(flask.loads(signedPayload(Buffer.from(json, 'latin1').toString('base64url')), NOW_MS), null, json);
  }
  assert.equal(flask.loads(signedPayload('.bm90IHpsaWI'), NOW_MS), null);
});

test('never throws on garbage cookies', () => {
  for (const cookie of ['', '.', '..', '...', 'a.b.c', '.a.b.c', 'é.é.é', '\ud800', 'a'.repeat(100_000), 'e30.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
    assert.equal(flask.loads(cookie, NOW_MS), null);
  }
  assert.equal(flask.loads(123 as unknown as string, NOW_MS), null);
});

test('bad options throw a TypeError that names the option', () => {
  const bad: Array<[Partial<FlaskCookieSerializerOptions>, RegExp]> = [
    [{ secretKeys: [] }, /secretKeys/], [{ secretKeys: [''] }, /secretKeys/], [{ maxAgeSeconds: -1 }, /maxAgeSeconds/],
    [{ maxAgeSeconds: 1.5 }, /maxAgeSeconds/], [{ clockSkewSeconds: -5 }, /clockSkewSeconds/],
    [{ maxJsonBytes: 0 }, /maxJsonBytes/], [{ maxCookieLength: Infinity }, /maxCookieLength/],
  ];
  for (const [override, message] of bad) {
    assert.throws(() => createFlaskCookieSerializer({ ...options, ...override }), { name: 'TypeError', message });
  }
});
