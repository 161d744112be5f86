import type { User, UserRepository } from '../users/user-repository.js';
import { createDummyHash, type PasswordHasher } from './password.js';
import { MAX_PASSWORD_BYTES } from './password-policy.js';

export interface Credentials {
  /** The user whose password this is, or null; an unknown name costs the same as a wrong password. */
  verifyCredentials(username: string, password: string): Promise<User | null>;
}

/**
 * Checks a username and password. A hash made with an older algorithm or cost is replaced on a
 * successful login, the only moment the plain password is at hand (ASVS 11.4.2).
 */
export function createCredentials(users: UserRepository, passwords: PasswordHasher): Credentials {
  // made once at start, in the background on the thread pool: boot does not wait for it
  const dummyHash = createDummyHash(passwords);
  return {
    async verifyCredentials(username, password) {
      // bcrypt ignores bytes past 72: a longer password would log in with only its start right
      const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
      const found = username && !tooLong ? await users.findCredentials(username) : null;
      if (!found) {
        await passwords.verify(password, await dummyHash);
        return null;
      }
      if (!(await passwords.verify(password, found.passwordHash))) return null;
      if (passwords.needsRehash(found.passwordHash)) {
        await users.replacePasswordHash(found.user.id, found.passwordHash, await passwords.hash(password));
      }
      return found.user;
    },
  };
}
