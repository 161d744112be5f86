import { Redis } from 'ioredis';
import pg from 'pg';

/** How long a probe waits for a service to answer before calling it absent. */
const PROBE_TIMEOUT_MS = 10_000;

/** Where tests find PostgreSQL and Redis: the machine's services, or these variables. */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let schemasMade = 0;

/** A fresh schema in the test database, or the reason there is none (the tests then skip, saying why). */
export async function postgresSchema(): Promise<{ url: string; drop(): Promise<void> } | string> {
  // a service that is there but slow (a loaded machine) must not pass for absent; an absent one refuses at once
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await admin.connect();
  } catch (error) {
    return `PostgreSQL not reachable at ${POSTGRES_URL} (${(error as Error).message}); set TEST_DATABASE_URL`;
  }
  const schema = `latchkey_test_${process.pid}_${Date.now()}_${++schemasMade}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** A connected Redis client, or the reason there is none. */
export async function redisClient(): Promise<Redis | string> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    return `Redis not reachable at ${REDIS_URL} (${(error as Error).message}); set TEST_REDIS_URL`;
  }
}
