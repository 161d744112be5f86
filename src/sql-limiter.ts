import { type Kysely, sql } from 'kysely';
import type { Limiter, LimiterOptions } from 'latchkey';
import { RateLimiterRes } from 'rate-limiter-flexible';

/** The counters' table (migration 010_login_throttle): `key` is `<counter name>:<key>`. */
export const THROTTLE_TABLE = 'latchkey_throttle';

interface Row {
  points: number | string;
  expire: number | string;
}

/**
 * A throttling counter in the app's database (SQLite or Postgres), with the semantics of the
 * package's memory counter: a fixed window that starts at a key's first point, `block` holding a
 * key past its points, expiry read against `now()` (tests move the clock instead of waiting).
 * Each change is one statement (an upsert that returns the new count), so concurrent requests and
 * processes count together without races.
 *
 * @example
 * const failures = createSqlLimiter(db, { name: 'login-account:failures', points: 5, durationSeconds: 86_400 }, Date.now);
 */
export function createSqlLimiter(db: Kysely<unknown>, { name, points, durationSeconds }: LimiterOptions, now: () => number): Limiter {
  const keyOf = (key: string) => `${name}:${key}`;
  const result = (row: Row, time: number, first = false) => {
    const consumed = Number(row.points);
    return new RateLimiterRes(Math.max(points - consumed, 0), Number(row.expire) - time, consumed, first);
  };

  async function add(key: string, value: number): Promise<RateLimiterRes> {
    const time = now();
    const expire = time + durationSeconds * 1000;
    // a live counter grows; an expired one starts a new window with this point
    const { rows } = await sql<Row>`
      INSERT INTO latchkey_throttle (key, points, expire) VALUES (${keyOf(key)}, ${value}, ${expire})
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN latchkey_throttle.expire > ${time} THEN latchkey_throttle.points + excluded.points ELSE excluded.points END,
        expire = CASE WHEN latchkey_throttle.expire > ${time} THEN latchkey_throttle.expire ELSE excluded.expire END
      RETURNING points, expire`.execute(db);
    const row = rows[0]!;
    return result(row, time, Number(row.expire) === expire);
  }

  async function set(key: string, value: number, seconds: number): Promise<RateLimiterRes> {
    const time = now();
    const { rows } = await sql<Row>`
      INSERT INTO latchkey_throttle (key, points, expire) VALUES (${keyOf(key)}, ${value}, ${time + seconds * 1000})
      ON CONFLICT (key) DO UPDATE SET points = excluded.points, expire = excluded.expire
      RETURNING points, expire`.execute(db);
    return result(rows[0]!, time, true);
  }

  return {
    async get(key) {
      const time = now();
      const { rows } = await sql<Row>`SELECT points, expire FROM latchkey_throttle WHERE key = ${keyOf(key)} AND expire > ${time}`.execute(db);
      return rows[0] ? result(rows[0], time) : null;
    },
    async consume(key) {
      const res = await add(key, 1);
      if (res.consumedPoints > points) throw res; // rate-limiter-flexible's way of saying no
      return res;
    },
    penalty: (key) => add(key, 1),
    reward: (key) => add(key, -1),
    block: (key, seconds) => set(key, points + 1, seconds),
    async delete(key) {
      await sql`DELETE FROM latchkey_throttle WHERE key = ${keyOf(key)}`.execute(db);
    },
  };
}
