import pg from 'pg';
import { POSTGRES_URL } from '../services.js';
import { absent } from './ci.js';

let made = 0;

/**
 * A database of the test's own on the machine's PostgreSQL (TEST_DATABASE_URL), dropped after.
 * A database rather than a schema: Kysely's migrator looks at the tables of every schema of its
 * database, and another test file dropping its schema at that moment makes the migration fail
 * ("schema … does not exist"). Returns the reason instead when PostgreSQL is absent (a failure
 * under CI=true).
 *
 * @example
 * const database = await freshDatabase();
 * if (typeof database === 'string') return t.skip(database);
 * const app = await createTestApp({ databaseUrl: database.url });
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> } | string> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    return absent(`PostgreSQL not reachable at ${POSTGRES_URL} (${(error as Error).message}); set TEST_DATABASE_URL`);
  }
  const name = `latchkey_ops_${process.pid}_${Date.now()}_${++made}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
