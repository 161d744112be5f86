import type { Redis } from 'ioredis';
import type { JsonValue, SessionData } from '../session-data.js';
import { decodeUserId, encodeUserId, type ListedSession, type SessionStore, type StoredSession, type UserId } from './session-store.js';

/**
 * Options of `createRedisSessionStore`.
 *
 * @example
 * createRedisSessionStore(redis, { prefix: 'myapp:' } satisfies RedisStoreOptions);
 */
export interface RedisStoreOptions {
  /** Prefix of every key. Default `latchkey:`. */
  prefix?: string;
}

/**
 * A session is a hash: its metadata in plain fields and each data key in a `d:<name>` field, so
 * a patch touches only the keys it changed and two concurrent writers never undo each other.
 * ARGV: replace, keepUser, userId, lastSeenAt, expiresAt, count of set pairs, key, pairs, unsets.
 */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '1' then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 2) == 'd:' then redis.call('HDEL', KEYS[1], field) end
  end
end
if ARGV[2] == '0' then
  redis.call('HSET', KEYS[1], 'userId', ARGV[3])
  if ARGV[3] ~= '' then redis.call('SADD', KEYS[2], ARGV[7]) end
end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[4], 'expiresAt', ARGV[5])
local i = 8
for _ = 1, tonumber(ARGV[6]) do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]); i = i + 2 end
while i <= #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]); i = i + 1 end
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
return 1`;

/**
 * Sessions in Redis (ioredis), expired by Redis itself at their deadline; a set per user lists
 * the user's sessions. Give the client deadlines (`commandTimeout`, `connectTimeout`) and an
 * `error` listener: the store adds none.
 *
 * @example
 * const store = createRedisSessionStore(new Redis(url, { commandTimeout: 1500 }));
 */
export function createRedisSessionStore(redis: Redis, options: RedisStoreOptions = {}): SessionStore {
  const prefix = options.prefix ?? 'latchkey:';
  const sessionKey = (key: string) => `${prefix}session:${key}`;
  const userKey = (encodedUserId: string) => `${prefix}user:${encodedUserId}`;

  async function listUser(userId: UserId, now: number): Promise<ListedSession[]> {
    const keys = await redis.smembers(userKey(encodeUserId(userId)));
    if (keys.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.hgetall(sessionKey(key));
    const results = (await pipeline.exec()) ?? [];
    const listed: ListedSession[] = [];
    const dead: string[] = [];
    keys.forEach((key, index) => {
      const session = fromHash(results[index]?.[1] as Record<string, string>, now);
      if (session && session.userId === userId) listed.push({ ...session, key });
      else dead.push(key);
    });
    if (dead.length > 0) await redis.srem(userKey(encodeUserId(userId)), ...dead);
    return listed.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  return {
    async get(key, now) {
      return fromHash(await redis.hgetall(sessionKey(key)), now);
    },
    async create(key, s) {
      const fields: Record<string, string> = {
        userId: s.userId === null ? '' : encodeUserId(s.userId),
        createdAt: String(s.createdAt),
        lastSeenAt: String(s.lastSeenAt),
        expiresAt: String(s.expiresAt),
        handle: s.handle,
        remember: s.remember ? '1' : '0',
        userAgent: s.userAgent,
        ip: s.ip,
      };
      for (const [name, value] of Object.entries(s.data)) fields[`d:${name}`] = JSON.stringify(value);
      const multi = redis.multi().del(sessionKey(key)).hset(sessionKey(key), fields).pexpireat(sessionKey(key), s.expiresAt);
      if (s.userId !== null) multi.sadd(userKey(fields.userId!), key);
      await multi.exec();
    },
    async update(key, patch) {
      const set = Object.entries(patch.set ?? {}).flatMap(([name, value]) => [`d:${name}`, JSON.stringify(value)]);
      const unset = (patch.unset ?? []).map((name) => `d:${name}`);
      const keepUser = patch.userId === undefined;
      const userId = patch.userId === undefined || patch.userId === null ? '' : encodeUserId(patch.userId);
      const args = [patch.replace ? '1' : '0', keepUser ? '1' : '0', userId, String(patch.lastSeenAt), String(patch.expiresAt), String(set.length / 2), key, ...set, ...unset];
      const updated = await redis.eval(UPDATE, 2, sessionKey(key), userKey(userId || 'none'), ...args);
      return updated === 1;
    },
    async delete(key) {
      const userId = await redis.hget(sessionKey(key), 'userId');
      const multi = redis.multi().del(sessionKey(key));
      if (userId) multi.srem(userKey(userId), key);
      await multi.exec();
    },
    async deleteUser(userId, exceptKey) {
      const set = userKey(encodeUserId(userId));
      const keys = (await redis.smembers(set)).filter((key) => key !== exceptKey);
      if (keys.length === 0) return;
      await redis.multi().del(...keys.map(sessionKey)).srem(set, ...keys).exec();
    },
    listUser,
    // no sweep: Redis expires each session at its deadline; user sets are pruned as they are read
  };
}

function fromHash(hash: Record<string, string> | undefined, now: number): StoredSession | null {
  if (!hash || hash.expiresAt === undefined) return null;
  const expiresAt = Number(hash.expiresAt);
  if (!(expiresAt > now)) return null;
  const data: SessionData = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('d:')) data[field.slice(2)] = JSON.parse(value) as JsonValue;
  }
  return {
    userId: decodeUserId(hash.userId),
    data,
    createdAt: Number(hash.createdAt),
    lastSeenAt: Number(hash.lastSeenAt),
    expiresAt,
    handle: hash.handle ?? '',
    remember: hash.remember === '1',
    userAgent: hash.userAgent ?? '',
    ip: hash.ip ?? '',
  };
}
