import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

/** A queued mail due for an attempt. */
export interface QueuedMail {
  id: number;
  kind: string;
  sealed: string;
  /** Attempts made so far. */
  attempts: number;
}

/** What the queue holds: for a health page, metrics, or a person wondering where a mail went. */
export interface QueueCounts {
  pending: number;
  failed: number;
}

/**
 * The table of mail waiting to go out. Every worker (one per app instance) may look at it;
 * `claim` decides who sends each mail, so two instances never send one mail at the same time.
 */
export interface MailQueue {
  add(kind: string, sealed: string, now: number): Promise<number>;
  /** Up to `limit` mails whose next try is due, oldest first. */
  due(now: number, limit: number): Promise<(QueuedMail & { nextTryAt: number })[]>;
  /**
   * Takes a due mail for one attempt by moving its next try to `leaseUntil`: if this process dies
   * mid-send, the mail is due again then (at-least-once). False when another worker took it first.
   */
  claim(mail: { id: number; nextTryAt: number }, leaseUntil: number): Promise<boolean>;
  /** The mail went out: it leaves the queue (it carried live links; nothing keeps them). */
  sent(id: number): Promise<void>;
  retryAt(id: number, attempts: number, nextTryAt: number, error: string): Promise<void>;
  /** No more attempts; the row stays, marked, for a person to see. */
  giveUp(id: number, attempts: number, now: number, error: string): Promise<void>;
  counts(): Promise<QueueCounts>;
}

const MAX_ERROR_CHARACTERS = 500;

export function createMailQueue(db: Kysely<Schema>): MailQueue {
  return {
    async add(kind, sealed, now) {
      const row = await db
        .insertInto('mail_queue')
        .values({ kind, sealed, next_try_at: now, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async due(now, limit) {
      const rows = await db
        .selectFrom('mail_queue')
        .select(['id', 'kind', 'sealed', 'attempts', 'next_try_at'])
        .where('failed_at', 'is', null)
        .where('next_try_at', '<=', now)
        .orderBy('next_try_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: row.id, kind: row.kind, sealed: row.sealed, attempts: row.attempts, nextTryAt: Number(row.next_try_at) }));
    },
    async claim({ id, nextTryAt }, leaseUntil) {
      const result = await db
        .updateTable('mail_queue')
        .set({ next_try_at: leaseUntil })
        .where('id', '=', id)
        .where('next_try_at', '=', nextTryAt)
        .where('failed_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async sent(id) {
      await db.deleteFrom('mail_queue').where('id', '=', id).execute();
    },
    async retryAt(id, attempts, nextTryAt, error) {
      await db
        .updateTable('mail_queue')
        .set({ attempts, next_try_at: nextTryAt, last_error: error.slice(0, MAX_ERROR_CHARACTERS) })
        .where('id', '=', id)
        .execute();
    },
    async giveUp(id, attempts, now, error) {
      await db
        .updateTable('mail_queue')
        .set({ attempts, failed_at: now, last_error: error.slice(0, MAX_ERROR_CHARACTERS) })
        .where('id', '=', id)
        .execute();
    },
    async counts() {
      const count = async (failed: boolean) => {
        const row = await db
          .selectFrom('mail_queue')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .where('failed_at', failed ? 'is not' : 'is', null)
          .executeTakeFirstOrThrow();
        return Number(row.count);
      };
      return { pending: await count(false), failed: await count(true) };
    },
  };
}
