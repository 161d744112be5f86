import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import {
  createFlaskCookieSerializer, FLASK_DEFAULT_MAX_AGE_SECONDS, flaskSecretKeys, flaskTaggedJson,
} from '../../src/sessions/flask/index.js';
import { createFlaskOracle, needsFlask } from './flask-oracle.js';
import { fromSpec, toSpec, type Spec } from './python-spec.js';
import { SESSION_FIXTURES } from './session-fixtures.js';

type Saved = { cookie: string; viaRequest: boolean; json: string };
type Opened = { value: Spec; error: string | null };

const NOW = 1_700_000_000;
const NOW_MS = NOW * 1000;
const KEY = 'the key Latchkey shares with Flask';
const OLD_KEY = 'the key before that';
const OLDEST_KEY = 'the first key';
const oracle = createFlaskOracle();
after(() => oracle.close());

const latchkey = (secretKeys: Array<string | Uint8Array>) =>
  createFlaskCookieSerializer({ secretKeys, maxAgeSeconds: FLASK_DEFAULT_MAX_AGE_SECONDS });

test('talks to the real Flask', needsFlask, async (t) => {
  const versions = await oracle.call<Record<string, unknown>>('hello');
  t.diagnostic(`Flask under test: ${JSON.stringify(versions)}`);
  assert.equal(typeof versions.flask, 'string');
});

for (const [name, session] of Object.entries(SESSION_FIXTURES)) {
  test(`reads the cookie Flask sets for ${name}`, needsFlask, async () => {
    const saved = await oracle.call<Saved>('save', { secretKey: KEY, value: toSpec(session), now: NOW });
    assert.ok(saved.viaRequest, 'Flask set the cookie from a real request');
    assert.deepEqual(latchkey([KEY]).loads(saved.cookie, NOW_MS), { value: session, renew: false, signedAtSeconds: NOW });
  });

  test(`writes what Flask writes for ${name}`, needsFlask, async (t) => {
    const saved = await oracle.call<Saved>('save', { secretKey: KEY, value: toSpec(session), now: NOW });
    assert.equal(flaskTaggedJson.stringify(session), saved.json);
    const ours = latchkey([KEY]).dumps(session, NOW_MS);
    if (!ours.startsWith('.') && !saved.cookie.startsWith('.')) {
      assert.equal(ours, saved.cookie);
      return;
    }
    // compressed: same JSON, same timestamp; the deflate bytes depend on each side's zlib build
    assert.ok(ours.startsWith('.') && saved.cookie.startsWith('.'), 'both sides chose the compressed form');
    const [, ourPayload = '', ourStamp] = ours.split('.');
    const [, theirPayload = '', theirStamp] = saved.cookie.split('.');
    assert.equal(ourStamp, theirStamp);
    assert.equal(inflateSync(Buffer.from(ourPayload, 'base64url')).toString(), saved.json);
    assert.equal(inflateSync(Buffer.from(theirPayload, 'base64url')).toString(), saved.json);
    t.diagnostic(`deflate bytes identical to Flask's: ${ours === saved.cookie}`);
  });

  test(`Flask reads the cookie Latchkey writes for ${name}`, needsFlask, async () => {
    const cookie = latchkey([KEY]).dumps(session, NOW_MS);
    const opened = await oracle.call<Opened>('open', { secretKey: KEY, cookie, now: NOW });
    assert.equal(opened.error, null);
    assert.deepEqual(fromSpec(opened.value), session);
  });
}

test('a bytes SECRET_KEY (os.urandom) signs the same on both sides', needsFlask, async () => {
  const key = Buffer.from('00ff10e5'.repeat(8), 'hex');
  const session = { user_id: 7 };
  const saved = await oracle.call<Saved>('save', { secretKey: { $bytes: key.toString('hex') }, value: toSpec(session), now: NOW });
  assert.equal(latchkey([key]).dumps(session, NOW_MS), saved.cookie);
});

test('rotation: reads a cookie Flask signed with a key now in SECRET_KEY_FALLBACKS, and asks to renew it', needsFlask, async () => {
  const session = { user_id: 1 };
  const saved = await oracle.call<Saved>('save', { secretKey: OLD_KEY, value: toSpec(session), now: NOW });
  const rotated = latchkey(flaskSecretKeys(KEY, [OLDEST_KEY, OLD_KEY]));
  assert.deepEqual(rotated.loads(saved.cookie, NOW_MS), { value: session, renew: true, signedAtSeconds: NOW });

  const renewed = rotated.dumps(session, NOW_MS);
  const opened = await oracle.call<Opened>('open', { secretKey: KEY, cookie: renewed, now: NOW });
  assert.equal(opened.error, null, 'the renewed cookie is signed with SECRET_KEY itself');
});

test('rotation: Flask with SECRET_KEY_FALLBACKS reads a cookie Latchkey signed with an old key', needsFlask, async () => {
  const cookie = latchkey([OLDEST_KEY]).dumps({ user_id: 2 }, NOW_MS);
  const opened = await oracle.call<Opened>('open', { secretKey: KEY, fallbacks: [OLDEST_KEY, OLD_KEY], cookie, now: NOW });
  assert.equal(opened.error, null);
  assert.deepEqual(fromSpec(opened.value), { user_id: 2 });
});

test('rotation: both sign with the newest key only', needsFlask, async () => {
  const session = { user_id: 3 };
  const saved = await oracle.call<Saved>('save', { secretKey: KEY, fallbacks: [OLD_KEY], value: toSpec(session), now: NOW });
  assert.equal(latchkey(flaskSecretKeys(KEY, [OLD_KEY])).dumps(session, NOW_MS), saved.cookie);
  assert.deepEqual(latchkey([KEY]).loads(saved.cookie, NOW_MS), { value: session, renew: false, signedAtSeconds: NOW });
  assert.equal(latchkey([OLD_KEY]).loads(saved.cookie, NOW_MS), null);
});

test('rotation: once a key is dropped, neither side accepts it', needsFlask, async () => {
  const oldCookie = latchkey([OLD_KEY]).dumps({ user_id: 4 }, NOW_MS);
  const opened = await oracle.call<Opened>('open', { secretKey: KEY, fallbacks: [OLDEST_KEY], cookie: oldCookie, now: NOW });
  assert.match(opened.error ?? '', /^Bad(Time)?Signature$/);
  assert.deepEqual(opened.value, { $dict: [] });
  assert.equal(latchkey(flaskSecretKeys(KEY, [OLDEST_KEY])).loads(oldCookie, NOW_MS), null);
});
