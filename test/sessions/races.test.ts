import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { createMemorySessionStore, type SessionStore } from 'latchkey';
import { Client, createTestApp, signUp } from '../helpers.js';

/** The store key of a session id, as server mode documents it: its SHA-256. */
const storeKey = (id: string) => createHash('sha256').update(id).digest('hex');

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

  test('a flash is shown once, then never again', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    await client.post('/users/logout');
    const pages = [await client.get('/users/login'), await client.get('/users/login'), await client.get('/')];
    assert.equal(pages.filter((page) => page.body.includes('You have been signed out.')).length, 1);
  });
});
