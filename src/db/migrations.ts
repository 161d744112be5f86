import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './database.js';

/** Migrations live in code so the compiled app carries them; add new ones at the end, never edit old ones. */
function migrations(dialect: Dialect): Record<string, Migration> {
  const epochMs = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '001_users_messages_sessions': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
          )
          .addColumn('username', 'text', (col) => col.notNull().unique())
          .addColumn('password_hash', 'text', (col) => col.notNull())
          .addColumn('first_name', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('last_name', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('sessions_valid_after', sql.raw(epochMs), (col) => col.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createTable('messages')
          .addColumn('id', 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
          )
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('content', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('messages_user_id').on('messages').column('user_id').execute();
        await db.schema
          .createTable('sessions')
          .addColumn('key', 'text', (col) => col.primaryKey())
          .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
          .addColumn('data', 'text', (col) => col.notNull())
          .addColumn('created_at', sql.raw(epochMs), (col) => col.notNull())
          .addColumn('last_seen_at', sql.raw(epochMs), (col) => col.notNull())
          .addColumn('expires_at', sql.raw(epochMs), (col) => col.notNull())
          .addColumn('handle', 'text', (col) => col.notNull())
          .addColumn('remember', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('user_agent', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('ip', 'text', (col) => col.notNull().defaultTo(''))
          // SQLite: the key is the table's own b-tree, one lookup per read instead of index + table
          .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
          .execute();
        await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
        await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
      },
    },
    // sessions now live in the latchkey package's own table (see legacy-sessions.ts), and cookie
    // modes are revoked through the records it keeps, not a time on the user
    '002_sessions_leave_users': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').dropColumn('sessions_valid_after').execute();
      },
    },
  };
}

/** Brings the schema up to date; runs at every start and is a no-op when nothing is new. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
