import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, parseOptions as argon2Options, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcrypt';

/**
 * The algorithms for new hashes; both are always verified.
 *
 * @example
 * const algorithm: PasswordAlgorithm = process.env.PASSWORD_HASH === 'argon2id' ? 'argon2id' : 'bcrypt';
 */
export type PasswordAlgorithm = 'bcrypt' | 'argon2id';

/**
 * Hashes and checks passwords; made by `createPasswordHasher`.
 *
 * @example
 * const hash = await passwords.hash('correct horse battery');
 * await passwords.verify('correct horse battery', hash); // true
 */
export interface PasswordHasher {
  /** A new hash with the configured algorithm and cost. */
  hash(password: string): Promise<string>;
  /** Checks a password against a hash of any supported kind, with the hash's own parameters. */
  verify(password: string, hash: string): Promise<boolean>;
  /** True when the hash was made with another algorithm or cost than the configured one. */
  needsRehash(hash: string): boolean;
  /** True when the hash checks passwords of any length: it did not hand bcrypt the password itself. */
  acceptsLongPasswords(hash: string): boolean;
}

/**
 * Options of `createPasswordHasher`.
 *
 * @example
 * createPasswordHasher({ algorithm: 'bcrypt', bcryptRounds: process.env.NODE_ENV === 'test' ? 4 : 12 } satisfies HasherOptions);
 */
export interface HasherOptions {
  /** For new hashes. Default `bcrypt`. */
  algorithm?: PasswordAlgorithm;
  /** bcrypt's cost for new hashes. Default 12. */
  bcryptRounds?: number;
}

/** OWASP's first Argon2id setting: 19 MiB of memory, 2 passes, 1 lane. */
export const ARGON2_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id (a const enum, out of reach of isolated modules)

const BCRYPT_HASH = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const FLASK_SHA256_PREFIX = '$flask-bcrypt-sha256$';

/**
 * Marks a bcrypt hash made by Flask-Bcrypt with `BCRYPT_HANDLE_LONG_PASSWORDS = True`, which
 * hashes the hex SHA-256 digest of the password instead of the password. The hash itself looks
 * like any bcrypt hash, so whoever imports it must say so; `verify` then pre-hashes the same way.
 * Such a hash checks passwords longer than 72 bytes in full, and is upgraded at the next login.
 *
 * @example
 * flaskBcryptSha256('$2b$12$…'); // '$flask-bcrypt-sha256$2b$12$…'
 */
export function flaskBcryptSha256(bcryptHash: string): string {
  if (!BCRYPT_HASH.test(bcryptHash)) throw new TypeError('flaskBcryptSha256: not a bcrypt hash ($2a$, $2b$ or $2y$)');
  return FLASK_SHA256_PREFIX + bcryptHash.slice(1);
}

/**
 * Hashes and checks passwords off the event loop (bcrypt's and argon2's async APIs run on libuv's
 * thread pool). Verifying reads the algorithm and cost from the stored hash, so hashes made by
 * other software (Flask-Bcrypt's `$2b$`, older `$2a$`, PHP's `$2y$`) keep working; `needsRehash`
 * tells the login to upgrade them (Django's `must_update`).
 *
 * @example
 * const passwords = createPasswordHasher({ algorithm: 'bcrypt', bcryptRounds: 12 });
 * if (await passwords.verify(input, stored) && passwords.needsRehash(stored)) save(await passwords.hash(input));
 */
export function createPasswordHasher({ algorithm = 'bcrypt', bcryptRounds = 12 }: HasherOptions = {}): PasswordHasher {
  return {
    hash(password) {
      return algorithm === 'argon2id' ? argon2Hash(password, ARGON2_PARAMETERS) : bcrypt.hash(password, bcryptRounds);
    },
    async verify(password, hash) {
      try {
        if (hash.startsWith('$argon2')) return await argon2Verify(hash, password);
        if (hash.startsWith(FLASK_SHA256_PREFIX)) {
          const bcryptHash = `$${hash.slice(FLASK_SHA256_PREFIX.length)}`;
          const digest = createHash('sha256').update(password, 'utf8').digest('hex');
          if (BCRYPT_HASH.test(bcryptHash)) return await bcrypt.compare(digest, bcryptHash.replace(/^\$2y\$/, '$2b$'));
          return false;
        }
        // `$2y$` is PHP's name for the same algorithm as `$2b$`, which the native binding knows
        if (BCRYPT_HASH.test(hash)) return await bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
      } catch {
        // a corrupt stored hash is a failed login, never a 500
      }
      return false;
    },
    needsRehash(hash) {
      if (algorithm === 'bcrypt') return bcryptCost(hash) !== bcryptRounds;
      return !isCurrentArgon2id(hash);
    },
    acceptsLongPasswords: (hash) => hash.startsWith('$argon2') || hash.startsWith(FLASK_SHA256_PREFIX),
  };
}

function bcryptCost(hash: string): number | null {
  const cost = BCRYPT_HASH.exec(hash)?.[1];
  return cost === undefined ? null : Number(cost);
}

function isCurrentArgon2id(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return false;
  try {
    const options = argon2Options(hash);
    return (
      Number(options.algorithm) === ARGON2ID &&
      options.memoryCost === ARGON2_PARAMETERS.memoryCost &&
      options.timeCost === ARGON2_PARAMETERS.timeCost &&
      options.parallelism === ARGON2_PARAMETERS.parallelism
    );
  } catch {
    return false;
  }
}

/**
 * A hash of a random password made by `hasher`. Checking a login for a username that does not
 * exist against it costs the same time as a wrong password, so timing reveals no usernames.
 */
export function createDummyHash(hasher: PasswordHasher): Promise<string> {
  return hasher.hash(randomBytes(16).toString('base64url'));
}

