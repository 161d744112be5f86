import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are ISO 8601 text in both SQLite and Postgres, so one code path reads them. */
export interface UsersTable {
  id: Generated<number>;
  /** As the user spelled it, for display. */
  username: string;
  /** The username folded and with lookalike letters merged (see src/username-key.ts); unique unless `username_clash`. */
  username_key: string;
  /**
   * 1 for an account that already shared its key with an older one when keys came in (migration
   * 002): kept as it was, outside the unique index. New and renamed accounts are always 0.
   */
  username_clash: Generated<number>;
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

/** API tokens: the SHA-256 of each token, never the token; `scopes` space-separated (`read write`). */
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

export interface Schema {
  users: UsersTable;
  messages: MessagesTable;
  api_tokens: ApiTokensTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
