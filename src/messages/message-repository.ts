import type { Kysely } from 'kysely';
import type { MessageRow, Schema } from '../db/schema.js';

export interface Message {
  id: number;
  userId: number;
  content: string;
  createdAt: string;
  updatedAt: string;
}

/** A message with its author's name, for the public list. */
export interface MessageWithAuthor extends Message {
  username: string;
}

export interface MessageRepository {
  listAll(): Promise<MessageWithAuthor[]>;
  listByUser(userId: number): Promise<Message[]>;
  /** The message when it exists and belongs to that user; a message id under another user is not found. */
  find(userId: number, id: number): Promise<Message | null>;
  create(userId: number, content: string): Promise<Message>;
  update(userId: number, id: number, content: string): Promise<boolean>;
  delete(userId: number, id: number): Promise<boolean>;
}

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  userId: row.user_id,
  content: row.content,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createMessageRepository(db: Kysely<Schema>): MessageRepository {
  return {
    async listAll() {
      const rows = await db
        .selectFrom('messages')
        .innerJoin('users', 'users.id', 'messages.user_id')
        .selectAll('messages')
        .select('users.username')
        .orderBy('messages.id', 'desc')
        .limit(500)
        .execute();
      return rows.map((row) => ({ ...toMessage(row), username: row.username }));
    },
    async listByUser(userId) {
      const rows = await db.selectFrom('messages').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
      return rows.map(toMessage);
    },
    async find(userId, id) {
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async create(userId, content) {
      const now = new Date().toISOString();
      const row = await db
        .insertInto('messages')
        .values({ user_id: userId, content, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMessage(row);
    },
    async update(userId, id, content) {
      const result = await db
        .updateTable('messages')
        .set({ content, updated_at: new Date().toISOString() })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async delete(userId, id) {
      const result = await db.deleteFrom('messages').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
