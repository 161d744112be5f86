import { openDatabase } from '../../src/db/database.js';
import { createPostgresSessionStore } from '../../src/sessions/postgres-store.js';
import { postgresSchema } from '../services.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('PostgreSQL', async () => {
  const schema = await postgresSchema();
  if (typeof schema === 'string') return schema;
  const database = await openDatabase(schema.url);
  // the contract uses user ids that have no users row; the app's foreign key is not what is tested here
  await database.pool!.query('ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_user_id_fkey');
  return {
    store: createPostgresSessionStore(database.pool!),
    async cleanup() {
      await database.close();
      await schema.drop();
    },
  };
});
