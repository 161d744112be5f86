import bcrypt from 'bcrypt';

/**
 * Hashes with bcrypt's async API: the work runs on libuv's thread pool and the event loop stays
 * free for other requests.
 */
export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

/** Checks a password against a hash made at any cost; bcrypt reads the cost from the hash itself. */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * A hash of a random password at the configured cost. Checking a login for a username that does
 * not exist against it costs the same time as a wrong password, so timing reveals no usernames.
 */
export function createDummyHash(rounds: number): Promise<string> {
  return bcrypt.hash(`dummy-${Math.random()}`, rounds);
}
