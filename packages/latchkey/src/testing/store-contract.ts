import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionPatch, SessionStore, StoredSession } from '../stores/session-store.js';

/**
 * What `testSessionStore` needs to run: a fresh store, and a way to remove what the suite wrote.
 *
 * @example
 * const fixture: StoreFixture = { store: createMyStore(client), cleanup: () => client.quit() };
 */
export interface StoreFixture {
  store: SessionStore;
  /** Removes what the suite wrote (tables, keys) and closes connections. */
  cleanup(): Promise<void>;
}

const NOW = 1_800_000_000_000;
let counter = 0;
const key = () => `${'k'.repeat(56)}${String(++counter).padStart(8, '0')}`;

function session(overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    userId: 1,
    data: { count: 1, name: 'alice' },
    createdAt: NOW,
    lastSeenAt: NOW,
    expiresAt: NOW + 60_000,
    handle: `h${String(++counter).padStart(15, '0')}`,
    remember: false,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    ip: '127.0.0.1',
    ...overrides,
  };
}

const patch = (changes: Partial<SessionPatch> = {}): SessionPatch => ({ lastSeenAt: NOW + 1000, expiresAt: NOW + 61_000, ...changes });

/**
 * The behaviour every session store must have. Call it from a test file with a function that
 * opens a fresh store (or returns a string: the reason the backend is absent, and the suite is
 * skipped saying so). A store that passes can back Latchkey: nothing else about it is assumed.
 *
 * @example
 * import { testSessionStore } from 'latchkey/testing';
 * testSessionStore('my store', async () => ({ store: createMyStore(client), cleanup: () => client.quit() }));
 */
export function testSessionStore(name: string, open: () => Promise<StoreFixture | string>): void {
  describe(`${name} session store`, () => {
    let fixture: StoreFixture | string;
    before(async () => {
      fixture = await open();
      if (typeof fixture !== 'string') await fixture.store.migrate?.();
    });
    after(async () => {
      if (typeof fixture !== 'string') await fixture.cleanup();
    });
    const it = (title: string, body: (store: SessionStore) => Promise<void>) =>
      test(title, async (t) => {
        if (typeof fixture === 'string') return t.skip(fixture);
        await body(fixture.store);
      });

    it('migrates twice without harm', async (store) => {
      await store.migrate?.();
    });

    it('returns what was created, and null for an unknown key', async (store) => {
      const k = key();
      const s = session();
      await store.create(k, s);
      assert.deepEqual(await store.get(k, NOW), s);
      assert.equal(await store.get(key(), NOW), null);
    });

    it('keeps number and string user ids apart, each as its own type', async (store) => {
      const numeric = key();
      const text = key();
      const userId = 5000 + counter;
      await store.create(numeric, session({ userId }));
      await store.create(text, session({ userId: String(userId) }));
      assert.equal((await store.get(numeric, NOW))?.userId, userId);
      assert.equal((await store.get(text, NOW))?.userId, String(userId));
      assert.deepEqual((await store.listUser(String(userId), NOW)).map((s) => s.key), [text]);
      await store.deleteUser(userId);
      assert.ok(await store.get(text, NOW), 'ending the number 5000 leaves the string "5000" alone');
    });

    it('keeps user ids that differ only in case apart', async (store) => {
      const upper = key();
      const lower = key();
      const name = `Case${counter}`;
      await store.create(upper, session({ userId: name }));
      await store.create(lower, session({ userId: name.toLowerCase() }));
      assert.deepEqual((await store.listUser(name, NOW)).map((s) => s.key), [upper]);
      await store.deleteUser(name.toLowerCase());
      assert.ok(await store.get(upper, NOW), 'ending "case…" leaves "Case…" logged in');
    });

    it('treats an expired session as gone', async (store) => {
      const k = key();
      await store.create(k, session({ expiresAt: NOW + 10 }));
      assert.equal(await store.get(k, NOW + 10), null);
      assert.ok(await store.get(k, NOW + 9));
    });

    it('deletes expired sessions for good once swept (on the real clock)', async (store) => {
      const k = key();
      const now = Date.now();
      await store.create(k, session({ createdAt: now, lastSeenAt: now, expiresAt: now + 30 }));
      await new Promise((resolve) => setTimeout(resolve, 60));
      await store.sweep?.(Date.now());
      assert.equal(await store.get(k, now), null, 'asked with a clock from before the deadline, it is still gone');
    });

    it('merges a patch: keys set and unset, others kept', async (store) => {
      const k = key();
      await store.create(k, session({ data: { a: 1, b: 2, c: 3 } }));
      assert.equal(await store.update(k, patch({ set: { b: 20, d: { nested: [1, 'x', null] } }, unset: ['c'] })), true);
      const got = await store.get(k, NOW);
      assert.deepEqual(got?.data, { a: 1, b: 20, d: { nested: [1, 'x', null] } });
      assert.equal(got?.lastSeenAt, NOW + 1000);
      assert.equal(got?.expiresAt, NOW + 61_000);
    });

    it('keeps both changes when two writers change different keys', async (store) => {
      const k = key();
      await store.create(k, session({ data: {} }));
      await Promise.all([store.update(k, patch({ set: { first: 1 } })), store.update(k, patch({ set: { second: 2 } }))]);
      assert.deepEqual((await store.get(k, NOW))?.data, { first: 1, second: 2 });
    });

    it('keeps a key set to null: null is a value, not a deletion', async (store) => {
      const k = key();
      await store.create(k, session({ data: { a: null, b: 1 } }));
      await store.update(k, patch({ set: { b: null, c: null } }));
      assert.deepEqual((await store.get(k, NOW))?.data, { a: null, b: null, c: null });
    });

    it('replaces a nested object whole instead of merging into it', async (store) => {
      const k = key();
      await store.create(k, session({ data: { prefs: { theme: 'dark', size: 2 } } }));
      await store.update(k, patch({ set: { prefs: { theme: 'light' } } }));
      assert.deepEqual((await store.get(k, NOW))?.data, { prefs: { theme: 'light' } });
    });

    it('keeps every change when ten writers change different keys at once', async (store) => {
      const k = key();
      await store.create(k, session({ data: { kept: true } }));
      const names = Array.from({ length: 10 }, (_, index) => `writer${index}`);
      const results = await Promise.all(names.map((name, index) => store.update(k, patch({ set: { [name]: index } }))));
      assert.deepEqual(results, names.map(() => true));
      assert.deepEqual((await store.get(k, NOW))?.data, { kept: true, ...Object.fromEntries(names.map((name, index) => [name, index])) });
    });

    it('answers true for a patch that changes nothing on a live session', async (store) => {
      const k = key();
      const s = session();
      await store.create(k, s);
      assert.equal(await store.update(k, { lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt }), true);
      assert.equal(await store.update(k, { userId: s.userId, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt }), true);
    });

    it('replaces the data whole when asked', async (store) => {
      const k = key();
      await store.create(k, session({ data: { a: 1 } }));
      await store.update(k, patch({ set: { b: 2 }, replace: true }));
      assert.deepEqual((await store.get(k, NOW))?.data, { b: 2 });
    });

    it('changes the user only when the patch names one', async (store) => {
      const k = key();
      await store.create(k, session({ userId: null }));
      await store.update(k, patch({ userId: 77 }));
      assert.equal((await store.get(k, NOW))?.userId, 77);
      await store.update(k, patch({ set: { x: 1 } }));
      assert.equal((await store.get(k, NOW))?.userId, 77, 'a patch without userId keeps it');
      await store.update(k, patch({ userId: null }));
      assert.equal((await store.get(k, NOW))?.userId, null);
    });

    it('refuses to write back a session that was deleted meanwhile', async (store) => {
      const k = key();
      await store.create(k, session());
      await store.delete(k);
      assert.equal(await store.update(k, patch({ set: { resurrected: true } })), false);
      assert.equal(await store.get(k, NOW), null);
      assert.equal(await store.update(k, patch()), false);
      assert.equal(await store.get(k, NOW), null, 'a touch does not resurrect it either');
    });

    it('a patch without data moves the idle deadline and the last-seen time, and keeps the data', async (store) => {
      const k = key();
      await store.create(k, session({ expiresAt: NOW + 100, data: { kept: true } }));
      assert.equal(await store.update(k, { lastSeenAt: NOW + 50, expiresAt: NOW + 10_000 }), true);
      const got = await store.get(k, NOW + 5000);
      assert.equal(got?.lastSeenAt, NOW + 50);
      assert.equal(got?.expiresAt, NOW + 10_000);
      assert.deepEqual(got?.data, { kept: true });
    });

    it("lists a user's live sessions, most recent first, and no one else's", async (store) => {
      const userId = 1000 + counter;
      const older = key();
      const newer = key();
      await store.create(older, session({ userId, lastSeenAt: NOW }));
      await store.create(newer, session({ userId, lastSeenAt: NOW + 10 }));
      await store.create(key(), session({ userId: userId + 1 }));
      await store.create(key(), session({ userId, expiresAt: NOW - 1 }));
      const listed = await store.listUser(userId, NOW);
      assert.deepEqual(listed.map((s) => s.key), [newer, older]);
      assert.equal(listed[0]?.handle, (await store.get(newer, NOW))?.handle);
    });

    it("ends all of a user's sessions but one", async (store) => {
      const userId = 2000 + counter;
      const keep = key();
      const other = key();
      const stranger = key();
      await store.create(keep, session({ userId }));
      await store.create(other, session({ userId }));
      await store.create(stranger, session({ userId: userId + 1 }));
      await store.deleteUser(userId, keep);
      assert.ok(await store.get(keep, NOW));
      assert.equal(await store.get(other, NOW), null);
      assert.ok(await store.get(stranger, NOW));
      await store.deleteUser(userId);
      assert.equal(await store.get(keep, NOW), null);
      assert.ok(await store.get(stranger, NOW));
    });

    it('keeps anonymous sessions (no user) and the remember flag', async (store) => {
      const k = key();
      await store.create(k, session({ userId: null, remember: true }));
      const got = await store.get(k, NOW);
      assert.equal(got?.userId, null);
      assert.equal(got?.remember, true);
    });

    it('keeps unicode, quotes and a long user agent intact', async (store) => {
      const k = key();
      const data = { text: 'Grüße, "quoted" \\ back\u2028slash 🎉', list: [1.5, -2, true, null] };
      await store.create(k, session({ data, userAgent: 'A'.repeat(300) }));
      const got = await store.get(k, NOW);
      assert.deepEqual(got?.data, data);
      assert.equal(got?.userAgent, 'A'.repeat(300));
    });
  });
}
