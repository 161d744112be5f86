import type { Redis } from 'ioredis';
import type { JsonValue, SessionData } from './session.js';
import type { ListedSession, SessionStore, StoredSession } from './session-store.js';

/**
 * A session is a hash: its metadata in plain fields and each data key in a `d:<name>` field, so
 * a patch touches only the keys it changed and two concurrent writers never undo each other.
 * Redis expires the hash at its deadline; a set per user lists the user's sessions.
 */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '1' then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 2) == 'd:' then redis.call('HDEL', KEYS[1], field) end
  end
end
redis.call('HSET', KEYS[1], 'userId', ARGV[2], 'lastSeenAt', ARGV[3], 'expiresAt', ARGV[4])
if ARGV[2] ~= '' then redis.call('SADD', KEYS[2], ARGV[6]) end
local i = 7
for _ = 1, tonumber(ARGV[5]) do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]); i = i + 2 end
while i <= #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]); i = i + 1 end
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1`;

const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1], 'expiresAt', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1`;

export function createRedisSessionStore(redis: Redis, prefix = 'latchkey:'): SessionStore {
  const sessionKey = (key: string) => `${prefix}session:${key}`;
  const userKey = (userId: number | string) => `${prefix}user:${userId}`;

  async function readUser(userId: number, now: number): Promise<ListedSession[]> {
    const keys = await redis.smembers(userKey(userId));
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
    if (dead.length > 0) await redis.srem(userKey(userId), ...dead);
    return listed.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  async function destroyKeys(userId: number, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await redis.multi().del(...keys.map(sessionKey)).srem(userKey(userId), ...keys).exec();
  }

  return {
    async get(key, now) {
      return fromHash(await redis.hgetall(sessionKey(key)), now);
    },
    async create(key, s) {
      const fields: Record<string, string> = {
        userId: s.userId === null ? '' : String(s.userId),
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
      if (s.userId !== null) multi.sadd(userKey(s.userId), key);
      await multi.exec();
    },
    async update(key, patch) {
      const set = Object.entries(patch.set).flatMap(([name, value]) => [`d:${name}`, JSON.stringify(value)]);
      const unset = patch.unset.map((name) => `d:${name}`);
      const userId = patch.userId === null ? '' : String(patch.userId);
      const args = [patch.replace ? '1' : '0', userId, String(patch.lastSeenAt), String(patch.expiresAt), String(set.length / 2), key, ...set, ...unset];
      const updated = await redis.eval(UPDATE, 2, sessionKey(key), userKey(userId || 'none'), ...args);
      return updated === 1;
    },
    async touch(key, lastSeenAt, expiresAt) {
      await redis.eval(TOUCH, 1, sessionKey(key), String(lastSeenAt), String(expiresAt));
    },
    async destroy(key) {
      const userId = await redis.hget(sessionKey(key), 'userId');
      const multi = redis.multi().del(sessionKey(key));
      if (userId) multi.srem(userKey(userId), key);
      await multi.exec();
    },
    async destroyUser(userId, exceptKey) {
      const keys = await redis.smembers(userKey(userId));
      await destroyKeys(userId, keys.filter((key) => key !== exceptKey));
    },
    async destroyHandle(userId, handle) {
      const match = (await readUser(userId, Date.now())).find((session) => session.handle === handle);
      if (!match) return false;
      await destroyKeys(userId, [match.key]);
      return true;
    },
    listUser: readUser,
    async sweep() {
      return 0; // Redis expires each session at its deadline; user sets are pruned as they are read
    },
    async close() {},
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
    userId: hash.userId ? Number(hash.userId) : null,
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
