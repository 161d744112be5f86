import type { User, UserRepository } from '../users/user-repository.js';
import { createDummyHash, verifyPassword } from './password.js';

export interface Credentials {
  /** The user whose password this is, or null; an unknown name costs the same as a wrong password. */
  verifyCredentials(username: string, password: string): Promise<User | null>;
}

export function createCredentials(users: UserRepository, bcryptRounds: number): Credentials {
  // made once at start, in the background on bcrypt's thread pool: boot does not wait for it
  const dummyHash = createDummyHash(bcryptRounds);
  return {
    async verifyCredentials(username, password) {
      const found = username ? await users.findCredentials(username) : null;
      if (!found) {
        await verifyPassword(password, await dummyHash);
        return null;
      }
      return (await verifyPassword(password, found.passwordHash)) ? found.user : null;
    },
  };
}
