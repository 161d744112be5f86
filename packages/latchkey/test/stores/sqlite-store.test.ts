import SQLite from 'better-sqlite3';
import { createSqliteSessionStore } from '../../src/index.js';
import { testSessionStore } from '../../src/testing.js';

testSessionStore('SQLite', async () => {
  const sqlite = new SQLite(':memory:');
  return { store: createSqliteSessionStore(sqlite), cleanup: async () => void sqlite.close() };
});
