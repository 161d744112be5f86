import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createServerCodec, storeKey } from '../../src/sessions/server-codec.js';
import { createKeyring } from '../../src/sessions/keyring.js';
import { createMemorySessionStore } from '../../src/sessions/memory-store.js';
import { Session } from '../../src/sessions/session.js';
import type { SessionStore } from '../../src/sessions/session-store.js';
import { Client, createTestApp, signUp, TEST_KEY } from '../helpers.js';

/** A store whose writes wait for `release()`, to hold a slow request at the moment it writes. */
function gatedStore(inner: SessionStore) {
  let gate: Promise<void> | null = null;
  let open = () => {};
  let reached = () => {};
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const store: SessionStore = {
    ...inner,
    async update(key, patch) {
      if (gate) {
        reached();
        await gate;
      }
      return inner.update(key, patch);
    },
  };
  return {
    store,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    arrived,
    release() {
      const wasOpen = open;
      gate = null;
      wasOpen();
    },
  };
}

const timeouts = { idleMs: 60_000, absoluteMs: 3_600_000, rememberIdleMs: 60_000, rememberAbsoluteMs: 3_600_000, touchEveryMs: 1000 };
const info = { userAgent: 'test', ip: '127.0.0.1' };

describe('race-free session writes', () => {
  test('a slow request that loaded the session before a logout cannot bring it back', async () => {
    const memory = createMemorySessionStore();
    const gated = gatedStore(memory);
    const app = await createTestApp({}, { sessionStore: gated.store });
    const client = new Client(app);
    await signUp(client, 'alice');
    await client.get('/start_counter');
    const cookie = client.cookieHeader;

    gated.hold();
    const slow = app.inject({ url: '/count', headers: { cookie } });
    await gated.arrived;
    const logout = await client.post('/users/logout');
    assert.equal(logout.location, '/users/login');
    gated.release();
    const slowResponse = await slow;

    assert.match(String(slowResponse.headers['set-cookie']), /latchkey_session=;/, 'the slow response clears the cookie');
    const replay = await app.inject({ url: '/users/welcome', headers: { cookie } });
    assert.equal(replay.statusCode, 302, 'the session stays dead');
    const id = /latchkey_session=([^.;]+)/.exec(cookie)![1]!;
    assert.equal(await memory.get(storeKey(id), Date.now()), null, 'no row came back');
  });

  test('two concurrent requests that change different keys keep both changes', async () => {
    const store = createMemorySessionStore();
    const codec = createServerCodec(store, createKeyring([TEST_KEY], 'session'), timeouts);
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

  test('a flash is shown once, then never again', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    await client.post('/users/logout');
    const pages = [await client.get('/users/login'), await client.get('/users/login'), await client.get('/')];
    assert.equal(pages.filter((page) => page.body.includes('You have been signed out.')).length, 1);
  });
});
