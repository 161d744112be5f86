import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** How long a probe waits for a service to answer before calling it absent. */
const PROBE_TIMEOUT_MS = 10_000;

/** Where tests find PostgreSQL, Redis and MariaDB: the machine's services, or these variables. */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * The reason a service is absent, for the test runner to print as a skip. Under `CI=true` an
 * absent service is a failure: CI must never pass by skipping what it was meant to test.
 */
export function absent(reason: string): string {
  if (process.env.CI) throw new Error(`${reason} (CI=true: services must be there)`);
  return reason;
}

/** A fresh schema in the test database and a pool that uses it, or the reason there is none. */
export async function postgresPool(): Promise<{ pool: pg.Pool; drop(): Promise<void> } | string> {
  // a service that is there but slow (a loaded machine) must not pass for absent; an absent one refuses at once
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await admin.connect();
  } catch (error) {
    return absent(`PostgreSQL not reachable at ${POSTGRES_URL} (${(error as Error).message}); set TEST_DATABASE_URL`);
  }
  const schema = `latchkey_pkg_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}`, max: 4 });
  return {
    pool,
    async drop() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
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
    return absent(`Redis not reachable at ${REDIS_URL} (${(error as Error).message}); set TEST_REDIS_URL`);
  }
}

/** A fresh database on the MariaDB/MySQL server and a pool that uses it, or the reason there is none. */
export async function mysqlPool(poolOptions: mysql.PoolOptions = {}): Promise<{ pool: mysql.Pool; drop(): Promise<void> } | string> {
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: PROBE_TIMEOUT_MS });
  } catch (error) {
    return absent(`MariaDB/MySQL not reachable at ${MYSQL_URL} (${(error as Error).message}); set TEST_MYSQL_URL`);
  }
  const database = `latchkey_pkg_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const pool = mysql.createPool({ uri: MYSQL_URL, database, connectTimeout: 2000, connectionLimit: 4, ...poolOptions });
  return {
    pool,
    async drop() {
      await pool.query(`DROP DATABASE ${database}`);
      await pool.end();
    },
  };
}
