import type { UserId } from '../stores/session-store.js';
import { createDummyHash, type PasswordHasher } from './password.js';
import { MAX_PASSWORD_BYTES } from './password-policy.js';

/**
 * Where credentials are checked against: your users table, through two small functions.
 *
 * @example
 * const source: CredentialSource<User> = {
 *   findByUsername: async (username) => {
 *     const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
 *     return row ? { user: { id: row.id, username: row.username }, passwordHash: row.password_hash } : null;
 *   },
 *   replacePasswordHash: (user, oldHash, newHash) => db.updateTable('users').set({ password_hash: newHash })
 *     .where('id', '=', user.id).where('password_hash', '=', oldHash).execute().then(() => {}),
 * };
 */
export interface CredentialSource<User> {
  /** The user with this login name and their stored hash, or null. */
  findByUsername(username: string): Promise<{ user: User; passwordHash: string } | null>;
  /** Swaps in an upgraded hash unless the password changed meanwhile (compare `oldHash`). Optional. */
  replacePasswordHash?(user: User, oldHash: string, newHash: string): Promise<void>;
}

/**
 * Checks usernames and passwords; made by `createCredentials`.
 *
 * @example
 * const user = await credentials.verifyCredentials(body.username, body.password);
 * if (!user) return reply.code(401).send('Invalid credentials.');
 */
export interface Credentials<User> {
  /** The user whose password this is, or null; an unknown name costs the same as a wrong password. */
  verifyCredentials(username: string, password: string): Promise<User | null>;
}

/**
 * Checks a username and password. A hash made with an older algorithm or cost is replaced on a
 * successful login, the only moment the plain password is at hand (ASVS 11.4.2).
 *
 * @example
 * const credentials = createCredentials({ findByUsername, replacePasswordHash }, createPasswordHasher());
 * const user = await credentials.verifyCredentials('alice', 'correct horse battery');
 */
export function createCredentials<User>(source: CredentialSource<User>, passwords: PasswordHasher): Credentials<User> {
  // made once at start, in the background on the thread pool: boot does not wait for it
  const dummyHash = createDummyHash(passwords);
  return {
    async verifyCredentials(username, password) {
      // bcrypt ignores bytes past 72: a longer password would log in with only its start right,
      // unless the hash is of a kind that reads the whole password (argon2id, Flask's SHA-256 variant)
      const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
      const found = username ? await source.findByUsername(username) : null;
      if (!found || (tooLong && !passwords.acceptsLongPasswords(found.passwordHash))) {
        await passwords.verify(password, await dummyHash);
        return null;
      }
      if (!(await passwords.verify(password, found.passwordHash))) return null;
      // a long password keeps the hash that reads it whole: a new bcrypt hash would cut it at 72 bytes
      if (passwords.needsRehash(found.passwordHash) && !tooLong && source.replacePasswordHash) {
        await source.replacePasswordHash(found.user, found.passwordHash, await passwords.hash(password));
      }
      return found.user;
    },
  };
}


