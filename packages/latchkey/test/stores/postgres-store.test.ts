import { createPostgresSessionStore } from '../../src/index.js';
import { testSessionStore } from '../../src/testing.js';
import { postgresPool } from '../services.js';

testSessionStore('PostgreSQL', async () => {
  const database = await postgresPool();
  if (typeof database === 'string') return database;
  return { store: createPostgresSessionStore(database.pool), cleanup: database.drop };
});
