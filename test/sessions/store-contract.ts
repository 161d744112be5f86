import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionStore, StoredSession } from '../../src/sessions/session-store.js';

export interface StoreFixture {
  store: SessionStore;
  /** Removes what the suite wrote (tables, keys). */
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

const patch = (changes: Partial<Parameters<SessionStore['update']>[1]> = {}) => ({
  userId: 1,
  set: {},
  unset: [],
  replace: false,
  lastSeenAt: NOW + 1000,
  expiresAt: NOW + 61_000,
  ...changes,
});

/**
 * The behaviour every session store must have, run against each one. A store that passes can
 * back the app: nothing else about it is assumed.
 */
export function runStoreContract(name: string, open: () => Promise<StoreFixture | string>): void {
  describe(`${name} session store`, () => {
    let fixture: StoreFixture | string;
    before(async () => {
      fixture = await open();
    });
    after(async () => {
      if (typeof fixture !== 'string') {
        await fixture.cleanup();
        await fixture.store.close();
      }
    });
    const it = (title: string, body: (store: SessionStore) => Promise<void>) =>
      test(title, async (t) => {
        if (typeof fixture === 'string') return t.skip(fixture);
        await body(fixture.store);
      });

    it('returns what was created, and null for an unknown key', async (store) => {
      const k = key();
      const s = session();
      await store.create(k, s);
      assert.deepEqual(await store.get(k, NOW), s);
      assert.equal(await store.get(key(), NOW), null);
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
      await store.sweep(Date.now());
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

    it('replaces the data whole when asked', async (store) => {
      const k = key();
      await store.create(k, session({ data: { a: 1 } }));
      await store.update(k, patch({ set: { b: 2 }, replace: true }));
      assert.deepEqual((await store.get(k, NOW))?.data, { b: 2 });
    });

    it('refuses to write back a session that was destroyed meanwhile', async (store) => {
      const k = key();
      await store.create(k, session());
      await store.destroy(k);
      assert.equal(await store.update(k, patch({ set: { resurrected: true } })), false);
      assert.equal(await store.get(k, NOW), null);
      await store.touch(k, NOW + 5, NOW + 50_000);
      assert.equal(await store.get(k, NOW), null, 'a touch does not resurrect it either');
    });

    it('touch moves the idle deadline and the last-seen time', async (store) => {
      const k = key();
      await store.create(k, session({ expiresAt: NOW + 100 }));
      await store.touch(k, NOW + 50, NOW + 10_000);
      const got = await store.get(k, NOW + 5000);
      assert.equal(got?.lastSeenAt, NOW + 50);
      assert.equal(got?.expiresAt, NOW + 10_000);
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
    });

    it("ends all of a user's sessions but one, and one by its handle", async (store) => {
      const userId = 2000 + counter;
      const keep = key();
      const other = key();
      const stranger = key();
      await store.create(keep, session({ userId }));
      await store.create(other, session({ userId }));
      await store.create(stranger, session({ userId: userId + 1 }));
      await store.destroyUser(userId, keep);
      assert.ok(await store.get(keep, NOW));
      assert.equal(await store.get(other, NOW), null);
      assert.ok(await store.get(stranger, NOW));
      const { handle } = (await store.get(keep, NOW))!;
      assert.equal(await store.destroyHandle(userId + 1, handle), false, "someone else's handle ends nothing");
      assert.equal(await store.destroyHandle(userId, handle), true);
      assert.equal(await store.get(keep, NOW), null);
      await store.destroyUser(userId + 1);
      assert.equal(await store.get(stranger, NOW), null);
    });

    it('keeps anonymous sessions (no user) and the remember flag', async (store) => {
      const k = key();
      await store.create(k, session({ userId: null, remember: true }));
      const got = await store.get(k, NOW);
      assert.equal(got?.userId, null);
      assert.equal(got?.remember, true);
    });
  });
}
