import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMysqlSessionStore } from '../../src/index.js';
import { testSessionStore } from '../../src/testing.js';
import { mysqlPool } from '../services.js';

testSessionStore('MariaDB/MySQL', async () => {
  const database = await mysqlPool();
  if (typeof database === 'string') return database;
  return { store: createMysqlSessionStore(database.pool), cleanup: database.drop };
});

// pools are configured by apps, not by the store: BIGINTs as strings, and affectedRows counting
// changed rows instead of matched ones (no FOUND_ROWS) must not change what the store answers
testSessionStore('MariaDB/MySQL (pool with bigNumberStrings, without FOUND_ROWS)', async () => {
  const database = await mysqlPool({ supportBigNumbers: true, bigNumberStrings: true, flags: ['-FOUND_ROWS'] });
  if (typeof database === 'string') return database;
  return { store: createMysqlSessionStore(database.pool, { tableName: 'app_sessions' }), cleanup: database.drop };
});

test('a write stuck behind a lock fails at its deadline instead of waiting, and the store works on', async (t) => {
  const database = await mysqlPool();
  if (typeof database === 'string') return t.skip(database);
  try {
    const store = createMysqlSessionStore(database.pool, { queryTimeoutMs: 300 });
    await store.migrate?.();
    const now = Date.now();
    const key = 'f'.repeat(64);
    await store.create(key, { userId: 1, data: {}, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000, handle: 'h', remember: false, userAgent: '', ip: '' });
    const blocker = await database.pool.getConnection();
    try {
      await blocker.beginTransaction();
      await blocker.query('SELECT * FROM latchkey_sessions WHERE key_hash = ? FOR UPDATE', [key]);
      // InnoDB alone would wait innodb_lock_wait_timeout (50 s by default) before failing
      await assert.rejects(store.update(key, { set: { a: 1 }, lastSeenAt: now, expiresAt: now + 60_000 }), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
    } finally {
      await blocker.rollback();
      blocker.release();
    }
    assert.equal(await store.update(key, { set: { a: 2 }, lastSeenAt: now, expiresAt: now + 60_000 }), true);
    assert.deepEqual((await store.get(key, now))?.data, { a: 2 });
  } finally {
    await database.drop();
  }
});
