import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are ISO 8601 text in both SQLite and Postgres, so one code path reads them. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: Generated<number>;
  user_id: number;
  content: string;
  created_at: string;
  updated_at: string;
}

export interface Schema {
  users: UsersTable;
  messages: MessagesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type MessageRow = Selectable<MessagesTable>;
