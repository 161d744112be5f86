import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCookieCodec, SessionTooLargeError } from '../../src/sessions/cookie-codec.js';
import { createKeyring } from '../../src/sessions/keyring.js';
import { encryptingSealer } from '../../src/sessions/sealer.js';
import { createServerCodec } from '../../src/sessions/server-codec.js';
import { Session } from '../../src/sessions/session.js';
import { createMemorySessionStore } from '../../src/stores/memory-store.js';

const KEY = 'test-key-0123456789abcdef0123456789abcdef';
const timeouts = { idleMs: 60_000, absoluteMs: 3_600_000, rememberIdleMs: 60_000, rememberAbsoluteMs: 3_600_000, touchEveryMs: 1000 };
const info = { userAgent: 'test', ip: '127.0.0.1' };

describe('the server codec', () => {
  test('two concurrent requests that change different keys keep both changes', async () => {
    const store = createMemorySessionStore();
    const codec = createServerCodec(store, createKeyring([KEY], 'session'), timeouts);
    const now = Date.now();
    const first = new Session();
    first.set('theme', 'dark');
    const cookie = (await codec.save(first, (await codec.load(undefined, now)).state, now, info))!.value;

    const loadedA = await codec.load(cookie, now);
    const loadedB = await codec.load(cookie, now);
    const a = new Session(loadedA.init);
    const b = new Session(loadedB.init);
    a.set('cart', [1, 2]);
    b.set('language', 'fr');
    b.delete('theme');
    await Promise.all([codec.save(a, loadedA.state, now + 1, info), codec.save(b, loadedB.state, now + 2, info)]);

    const after = await codec.load(cookie, now + 3);
    assert.deepEqual(after.init.data, { cart: [1, 2], language: 'fr' });
  });
});

describe('the cookie codec', () => {
  test('a session too large for a cookie is a clear error when written, not a cookie the browser drops', async () => {
    const codec = createCookieCodec(encryptingSealer([KEY]), createMemorySessionStore(), timeouts, 'latchkey_session');
    const empty = { payload: null, renew: false, dead: false };
    const session = new Session();
    session.set('notes', 'x'.repeat(2000));
    await codec.save(session, empty, Date.now(), info);
    session.set('notes', 'x'.repeat(4000));
    await assert.rejects(codec.save(session, empty, Date.now(), info), (error: Error) => {
      assert.ok(error instanceof SessionTooLargeError);
      assert.match(error.message, /too large for a cookie .* use the server mode/);
      return true;
    });
  });

  test('a login writes one record to the store, and logging out deletes it', async () => {
    const store = createMemorySessionStore();
    const codec = createCookieCodec(encryptingSealer([KEY]), store, timeouts, 'latchkey_session');
    const now = Date.now();
    const session = new Session({}, now);
    session.logIn(7);
    const cookie = (await codec.save(session, (await codec.load(undefined, now)).state, now, info))!.value;
    assert.equal((await store.listUser(7, now)).length, 1);
    const loaded = await codec.load(cookie, now + 1);
    assert.equal(loaded.init.userId, 7);
    const again = new Session(loaded.init, now + 1);
    again.destroy();
    assert.equal(await codec.save(again, loaded.state, now + 1, info), null, 'the cookie is cleared');
    assert.equal((await store.listUser(7, now)).length, 0);
    assert.equal((await codec.load(cookie, now + 2)).init.userId, undefined, 'a copy of the cookie opens nothing');
  });
});

describe('the encrypting sealer', () => {
  test('a rotation reseals with the newest key, and the old key alone cannot open it', () => {
    const NEW = 'new-key-0123456789abcdef0123456789abcdef';
    const sealed = encryptingSealer([NEW, KEY]).seal('{"a":1}');
    assert.deepEqual(encryptingSealer([NEW]).open(sealed), { text: '{"a":1}', renew: false });
    assert.equal(encryptingSealer([KEY]).open(sealed), null);
    assert.equal(encryptingSealer([KEY, NEW]).open(sealed)?.renew, true);
  });

  test('a cookie it opened before (and remembers) does not make any altered copy open', () => {
    const sealer = encryptingSealer([KEY]);
    const sealed = sealer.seal('{"u":7}');
    assert.deepEqual(sealer.open(sealed), { text: '{"u":7}', renew: false });
    assert.deepEqual(sealer.open(sealed), { text: '{"u":7}', renew: false }, 'opened again, from memory');
    const [id, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const altered of [[id, iv, flip(body), tag], [id, iv, body, flip(tag)], [id, flip(iv), body, tag], [id, iv, body, tag, 'x']]) {
      assert.equal(sealer.open(altered.join('.')), null, altered.join('.'));
    }
    assert.equal(sealer.open(`${sealed} `), null);
  });
});
