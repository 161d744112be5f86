import { openDatabase } from '../../src/db/database.js';
import { createSqliteSessionStore } from '../../src/sessions/sqlite-store.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('SQLite', async () => {
  const database = await openDatabase('sqlite::memory:');
  // the contract uses user ids that have no users row; the app's foreign key is not what is tested here
  database.sqlite!.pragma('foreign_keys = OFF');
  return { store: createSqliteSessionStore(database.sqlite!), cleanup: () => database.close() };
});
