import type { Kysely } from 'kysely';
import { keysetPage, type Page, type PageQuery } from '../db/keyset-page.js';
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
  /** Everyone's messages, newest first, a page at a time. */
  listAll(query: PageQuery): Promise<Page<MessageWithAuthor>>;
  /** One user's messages, newest first, a page at a time. */
  listByUser(userId: number, query: PageQuery): Promise<Page<Message>>;
  countByUser(userId: number): Promise<number>;
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
    listAll(query) {
      return keysetPage(
        async ({ bound, order, limit }) => {
          const rows = await db
            .selectFrom('messages')
            .innerJoin('users', 'users.id', 'messages.user_id')
            .selectAll('messages')
            .select('users.username')
            .$if(bound !== null, (qb) => qb.where('messages.id', bound!.op, bound!.id))
            .orderBy('messages.id', order)
            .limit(limit)
            .execute();
          return rows.map((row) => ({ ...toMessage(row), username: row.username }));
        },
        'desc',
        query,
      );
    },
    listByUser(userId, query) {
      return keysetPage(
        async ({ bound, order, limit }) => {
          const rows = await db
            .selectFrom('messages')
            .selectAll()
            .where('user_id', '=', userId)
            .$if(bound !== null, (qb) => qb.where('id', bound!.op, bound!.id))
            .orderBy('id', order)
            .limit(limit)
            .execute();
          return rows.map(toMessage);
        },
        'desc',
        query,
      );
    },
    async countByUser(userId) {
      const { count } = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(count);
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
