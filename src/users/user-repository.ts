import { type Database, isUniqueViolation } from '../db/database.js';
import { keysetPage, type Page, type PageQuery } from '../db/keyset-page.js';
import { preparedLookup } from '../db/prepared-lookup.js';
import type { Schema, UserRow } from '../db/schema.js';
import { foldUsername, usernameKey } from '../username-key.js';
import { emailKey } from '../email-address.js';

/** A user as the app shows it; the password hash stays in the repository unless asked for. */
export interface User {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  createdAt: string;
  /** Private to the user (never shown on their public profile); null when they gave none. */
  email: string | null;
  /** True once they followed a link sent to `email`: only then does recovery mail go there. */
  emailVerified: boolean;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  /** Optional; starts unverified. */
  email?: string | null;
}

export interface UserChanges {
  username: string;
  firstName: string;
  lastName: string;
  /** Omitted: keep the current password. */
  passwordHash?: string;
}

/**
 * Why a username cannot be had: `taken`, the same name in any case; `lookalike`, a name that reads
 * the same (`Il` and `ll`, `modern` and `modem`: see src/username-key.ts).
 */
export type UsernameConflict = 'taken' | 'lookalike';

/** Another account already has this email address (compared regardless of case). */
export type EmailConflict = 'email-taken';

/** The app's users; also the `CredentialSource` that Latchkey checks passwords against. */
export interface UserRepository {
  findById(id: number): Promise<User | null>;
  /** The user and their hash, for checking a login; the username may be typed in any case. */
  findByUsername(username: string): Promise<{ user: User; passwordHash: string } | null>;
  /** Everyone, oldest account first, a page at a time. */
  list(query: PageQuery): Promise<Page<User>>;
  count(): Promise<number>;
  /** The user and their hash whose address this is (any case), for password-reset requests. */
  findByEmail(email: string): Promise<{ user: User; passwordHash: string } | null>;
  /** The user and their hash, for checks that depend on the current password (reset links). */
  findWithHash(id: number): Promise<{ user: User; passwordHash: string } | null>;
  /** The new user, or why the name or address cannot be had (the unique indexes decide, so races are safe). */
  create(user: NewUser): Promise<{ user: User } | { conflict: UsernameConflict | EmailConflict }>;
  update(id: number, changes: UserChanges): Promise<'updated' | 'missing' | UsernameConflict>;
  /** True when an account other than `exceptId` has this address. */
  emailTaken(email: string, exceptId?: number): Promise<boolean>;
  /**
   * Sets (or, with null, removes) the address. `verified`: the user just followed a link sent to
   * it. Only flows that confirmed the change call this: the profile form never sets it directly.
   */
  setEmail(id: number, email: string | null, { verified }: { verified: boolean }): Promise<'updated' | 'missing' | EmailConflict>;
  /** Marks the address verified if it is still the user's address; false when it no longer is. */
  markEmailVerified(id: number, email: string): Promise<boolean>;
  /** Sets a new password hash (a password reset). */
  setPasswordHash(id: number, passwordHash: string): Promise<boolean>;
  /** Swaps in a new hash (an upgrade at login) unless the password changed meanwhile. */
  replacePasswordHash(user: User, oldHash: string, newHash: string): Promise<void>;
  /** Deletes the user; their messages go with them (ON DELETE CASCADE). End their sessions too. */
  delete(id: number): Promise<boolean>;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  firstName: row.first_name,
  lastName: row.last_name,
  createdAt: row.created_at,
  email: row.email,
  emailVerified: row.email_verified_at !== null,
});
const withHash = (row: UserRow | undefined) => (row ? { user: toUser(row), passwordHash: row.password_hash } : null);

export function createUserRepository(database: Database): UserRepository {
  const { db } = database;
  // every logged-in request looks its user up: the one query that skips the builder at run time
  const byId = preparedLookup<UserRow>(database, 'user_by_id', db.selectFrom('users').selectAll().where('id', '=', 0).compile());

  /** Why `username` cannot be had by anyone but user `exceptId`, or null when it can. */
  async function conflictFor(username: string, exceptId = 0): Promise<UsernameConflict | null> {
    const others = await db
      .selectFrom('users')
      .select('username')
      .where('username_key', '=', usernameKey(username))
      .where('id', '!=', exceptId)
      .execute();
    if (others.length === 0) return null;
    const folded = foldUsername(username);
    return others.some((other) => foldUsername(other.username) === folded) ? 'taken' : 'lookalike';
  }

  async function emailTaken(email: string, exceptId = 0): Promise<boolean> {
    const other = await db.selectFrom('users').select('id').where('email_key', '=', emailKey(email)).where('id', '!=', exceptId).executeTakeFirst();
    return other !== undefined;
  }

  return {
    async findById(id) {
      const row = await byId([id]);
      return row ? toUser(row) : null;
    },
    async findByUsername(username) {
      const rows = await db.selectFrom('users').selectAll().where('username_key', '=', usernameKey(username)).orderBy('id').execute();
      // accounts from before keys may differ only in case: the exact spelling wins, then the oldest
      const folded = foldUsername(username);
      const row = rows.find((candidate) => candidate.username === username) ?? rows.find((candidate) => foldUsername(candidate.username) === folded);
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },
    async findByEmail(email) {
      return withHash(await db.selectFrom('users').selectAll().where('email_key', '=', emailKey(email)).executeTakeFirst());
    },
    async findWithHash(id) {
      return withHash(await byId([id]));
    },
    list(query) {
      return keysetPage(
        async ({ bound, order, limit }) => {
          const rows = await db
            .selectFrom('users')
            .selectAll()
            .$if(bound !== null, (qb) => qb.where('id', bound!.op, bound!.id))
            .orderBy('id', order)
            .limit(limit)
            .execute();
          return rows.map(toUser);
        },
        'asc',
        query,
      );
    },
    async count() {
      const { count } = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      return Number(count);
    },
    async create(user) {
      const conflict = (await conflictFor(user.username)) ?? (user.email && (await emailTaken(user.email)) ? 'email-taken' : null);
      if (conflict) return { conflict };
      const now = new Date().toISOString();
      try {
        const row = await db
          .insertInto('users')
          .values({
            username: user.username,
            username_key: usernameKey(user.username),
            password_hash: user.passwordHash,
            first_name: user.firstName,
            last_name: user.lastName,
            email: user.email || null,
            email_key: user.email ? emailKey(user.email) : null,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { user: toUser(row) };
      } catch (error) {
        // someone took the name or the address between the check and the insert
        if (isUniqueViolation(error)) {
          const taken = (await conflictFor(user.username)) ?? (user.email && (await emailTaken(user.email)) ? 'email-taken' : 'taken');
          return { conflict: taken };
        }
        throw error;
      }
    },
    async update(id, changes) {
      const current = await db.selectFrom('users').select(['username_key', 'username_clash']).where('id', '=', id).executeTakeFirst();
      if (!current) return 'missing';
      const key = usernameKey(changes.username);
      // keeping one's key (a change of case, say) is always allowed, even to an account marked as clashing
      const keepsKey = key === current.username_key;
      if (!keepsKey) {
        const conflict = await conflictFor(changes.username, id);
        if (conflict) return conflict;
      }
      try {
        const result = await db
          .updateTable('users')
          .set({
            username: changes.username,
            username_key: key,
            username_clash: keepsKey ? current.username_clash : 0,
            first_name: changes.firstName,
            last_name: changes.lastName,
            ...(changes.passwordHash ? { password_hash: changes.passwordHash } : {}),
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', id)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n ? 'updated' : 'missing';
      } catch (error) {
        if (isUniqueViolation(error)) return (await conflictFor(changes.username, id)) ?? 'taken';
        throw error;
      }
    },
    emailTaken,
    async setEmail(id, email, { verified }) {
      const now = new Date().toISOString();
      try {
        const result = await db
          .updateTable('users')
          .set({
            email,
            email_key: email === null ? null : emailKey(email),
            email_verified_at: email !== null && verified ? now : null,
            updated_at: now,
          })
          .where('id', '=', id)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n ? 'updated' : 'missing';
      } catch (error) {
        if (isUniqueViolation(error)) return 'email-taken';
        throw error;
      }
    },
    async markEmailVerified(id, email) {
      const result = await db
        .updateTable('users')
        .set({ email_verified_at: new Date().toISOString() })
        .where('id', '=', id)
        .where('email_key', '=', emailKey(email))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async setPasswordHash(id, passwordHash) {
      const result = await db.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date().toISOString() }).where('id', '=', id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async replacePasswordHash(user, oldHash, newHash) {
      await db
        .updateTable('users')
        .set({ password_hash: newHash })
        .where('id', '=', user.id)
        .where('password_hash', '=', oldHash)
        .execute();
    },
    async delete(id) {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
