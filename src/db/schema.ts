import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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
  /** Optional, as the user typed it. */
  email: string | null;
  /** The address normalised for comparison (src/email-address.ts); unique. */
  email_key: string | null;
  /** When the user followed a link sent to `email` (ISO 8601); null until then. */
  email_verified_at: string | null;
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

/** Epoch milliseconds: Postgres `bigint`, which its driver hands back as a string. */
type EpochMs = ColumnType<number | string, number, number>;

/** A link sent by mail: only the SHA-256 of its token is stored. */
export interface EmailTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: string;
  token_hash: string;
  /** The address the link confirms (verification, change of address); null for a password reset. */
  email: string | null;
  /** A digest of the password hash when the link was made: a new password kills the link. */
  password_fingerprint: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

/** Mail waiting to go out. */
export interface MailQueueTable {
  id: Generated<number>;
  /** What the mail is (`password-reset`, …), for logs; the rest is sealed. */
  kind: string;
  /** The recipient, subject and parts, sealed with a key from SECRET_KEYS: mail carries live links. */
  sealed: string;
  attempts: Generated<number>;
  next_try_at: EpochMs;
  last_error: string | null;
  /** Set when the mail was given up on; it stays for a person to look at. */
  failed_at: EpochMs | null;
  created_at: EpochMs;
}

export interface Schema {
  users: UsersTable;
  messages: MessagesTable;
  email_tokens: EmailTokensTable;
  mail_queue: MailQueueTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type EmailTokenRow = Selectable<EmailTokensTable>;
export type MailQueueRow = Selectable<MailQueueTable>;
