import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LatchkeyOptionsError } from '../../src/errors.js';
import { type LatchkeyOptions, resolveOptions } from '../../src/options.js';
import { SessionTooLargeError } from '../../src/sessions/cookie-codec.js';
import { createFlaskCodec } from '../../src/sessions/flask-codec.js';
import { createFlaskCookieSerializer } from '../../src/sessions/flask/cookie-serializer.js';
import { Session } from '../../src/sessions/session.js';
import { createMemorySessionStore } from '../../src/stores/memory-store.js';

const KEY = 'test-key-0123456789abcdef0123456789abcdef';
const timeouts = { idleMs: 60_000, absoluteMs: 3_600_000, rememberIdleMs: 60_000, rememberAbsoluteMs: 3_600_000, touchEveryMs: 1000 };
const info = { userAgent: 'test', ip: '127.0.0.1' };
const serializer = createFlaskCookieSerializer({ secretKeys: ['flask key'], maxAgeSeconds: 2_678_400 });
const base: LatchkeyOptions = { secrets: [KEY], store: createMemorySessionStore(), users: { findById: async () => null } };

describe('flask mode options', () => {
  test('mode "flask" needs the Flask key; mistakes name the option', () => {
    const fails = (options: Partial<LatchkeyOptions>, pattern: RegExp) =>
      assert.throws(() => resolveOptions({ ...base, mode: 'flask', ...options }), (error: Error) => error instanceof LatchkeyOptionsError && pattern.test(error.message));
    fails({}, /latchkey option "flask": mode "flask" needs \{ secretKey/);
    fails({ flask: { secretKey: '' } }, /"flask\.secretKey"/);
    fails({ flask: { secretKey: 'k', fallbacks: [''] } }, /"flask\.fallbacks"/);
    fails({ flask: { secretKey: 'k', maxAgeSeconds: 1.5 } }, /"flask\.maxAgeSeconds"/);
    fails({ flask: { secretKey: 'k', userIdKey: 'uid' as 'user_id' } }, /"flask\.userIdKey"/);
  });

  test("the session cookie is Flask's `session`, keys newest first as Flask tries them", () => {
    const resolved = resolveOptions({ ...base, mode: 'flask', flask: { secretKey: 'new', fallbacks: ['oldest', 'older'] } });
    assert.equal(resolved.cookieNames.session, 'session');
    assert.deepEqual(resolved.flask, { secretKeys: ['new', 'older', 'oldest'], maxAgeSeconds: 2_678_400, userIdKey: 'user_id', adoptLogins: true });
    assert.equal(resolveOptions({ ...base }).flask, null);
  });
});

describe('the flask codec', () => {
  const codec = () => createFlaskCodec({ serializer, store: createMemorySessionStore(), timeouts, cookieName: 'session', maxAgeSeconds: 2_678_400, userIdKey: 'user_id', adoptLogins: true });

  test('route code cannot write the keys the codec owns: that would log someone in behind its back', async () => {
    const flask = codec();
    const now = Date.now();
    const loaded = await flask.load(undefined, now);
    const session = new Session(loaded.init);
    session.set('user_id', 1);
    await assert.rejects(flask.save(session, loaded.state, now, info), /session key "user_id" is Latchkey's own in flask mode/);
  });

  test('a session too large for a cookie is a clear error, not a cookie the browser drops', async () => {
    const flask = codec();
    const now = Date.now();
    const loaded = await flask.load(undefined, now);
    const session = new Session(loaded.init);
    session.set('blob', Array.from({ length: 3000 }, (_, i) => i.toString(36)).join('~'));
    await assert.rejects(flask.save(session, loaded.state, now, info), SessionTooLargeError);
  });

  test('a login ended while its request ran clears the cookie instead of writing it back', async () => {
    const store = createMemorySessionStore();
    const flask = createFlaskCodec({ serializer, store, timeouts, cookieName: 'session', maxAgeSeconds: 2_678_400, userIdKey: 'user_id', adoptLogins: true });
    const now = Date.now();
    const first = await flask.load(undefined, now);
    const login = new Session(first.init);
    login.logIn(7);
    const cookie = (await flask.save(login, first.state, now, info))!.value;
    const later = now + 5000;
    const loaded = await flask.load(cookie, later);
    assert.equal(loaded.init.userId, 7);
    await store.deleteUser(7); // "log out everywhere", meanwhile
    const session = new Session(loaded.init);
    session.set('count', 1);
    assert.equal(await flask.save(session, loaded.state, later, info), null);
  });
});
