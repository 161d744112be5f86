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
