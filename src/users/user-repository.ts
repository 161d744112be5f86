import { type Database, isUniqueViolation } from '../db/database.js';
import { preparedLookup } from '../db/prepared-lookup.js';
import type { Schema, UserRow } from '../db/schema.js';

/** A user as the app shows it; the password hash stays in the repository unless asked for. */
export interface User {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  createdAt: string;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
}

export interface UserChanges {
  username: string;
  firstName: string;
  lastName: string;
  /** Omitted: keep the current password. */
  passwordHash?: string;
}

/** The app's users; also the `CredentialSource` that Latchkey checks passwords against. */
export interface UserRepository {
  findById(id: number): Promise<User | null>;
  /** The user and their hash, for checking a login. */
  findByUsername(username: string): Promise<{ user: User; passwordHash: string } | null>;
  list(): Promise<User[]>;
  /** The new user, or null when the username is taken (the unique constraint decides, so races are safe). */
  create(user: NewUser): Promise<User | null>;
  update(id: number, changes: UserChanges): Promise<'updated' | 'taken' | 'missing'>;
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
});

export function createUserRepository(database: Database): UserRepository {
  const { db } = database;
  // every logged-in request looks its user up: the one query that skips the builder at run time
  const byId = preparedLookup<UserRow>(database, 'user_by_id', db.selectFrom('users').selectAll().where('id', '=', 0).compile());
  return {
    async findById(id) {
      const row = await byId([id]);
      return row ? toUser(row) : null;
    },
    async findByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('id').execute();
      return rows.map(toUser);
    },
    async create(user) {
      const now = new Date().toISOString();
      try {
        const row = await db
          .insertInto('users')
          .values({
            username: user.username,
            password_hash: user.passwordHash,
            first_name: user.firstName,
            last_name: user.lastName,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },
    async update(id, changes) {
      try {
        const result = await db
          .updateTable('users')
          .set({
            username: changes.username,
            first_name: changes.firstName,
            last_name: changes.lastName,
            ...(changes.passwordHash ? { password_hash: changes.passwordHash } : {}),
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', id)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n ? 'updated' : 'missing';
      } catch (error) {
        if (isUniqueViolation(error)) return 'taken';
        throw error;
      }
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
