import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { usernameKey } from '../username-key.js';
import type { Dialect } from './database.js';

/** What the migrations that ran found worth telling whoever runs the app. */
export interface MigrationReport {
  /**
   * Existing accounts whose usernames already looked alike when username keys came in (002), one
   * group per key, oldest first. All were kept; the oldest holds the name, the others are marked
   * `username_clash = 1`.
   */
  usernameClashes: string[][];
}

/** Migrations live in code so the compiled app carries them; add new ones at the end, never edit old ones. */
function migrations(dialect: Dialect, report: MigrationReport): Record<string, Migration> {
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
    '002_username_keys': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').addColumn('username_key', 'text', (col) => col.notNull().defaultTo('')).execute();
        await db.schema.alterTable('users').addColumn('username_clash', 'integer', (col) => col.notNull().defaultTo(0)).execute();
        report.usernameClashes = await fillUsernameKeys(db);
        // unique among accounts in good standing: the database, not a check before the insert, decides races
        await db.schema.createIndex('users_unique_username_key').on('users').column('username_key').unique().where(sql.ref('username_clash'), '=', 0).execute();
        // lookups by key (login, the lookalike check) must find the marked accounts too
        await db.schema.createIndex('users_by_username_key').on('users').column('username_key').execute();
      },
    },
    '003_messages_by_user_and_id': {
      async up(db: Kysely<unknown>) {
        // a user's messages come newest first a page at a time: one range scan of this index (Postgres
        // had to sort the user's every message; SQLite's index on user_id already carried the rowid)
        await db.schema.createIndex('messages_user_id_id').on('messages').columns(['user_id', 'id']).execute();
        await db.schema.dropIndex('messages_user_id').execute();
      },
    },
    // sessions now live in the latchkey package's own table (see legacy-sessions.ts), and cookie
    // modes are revoked through the records it keeps, not a time on the user
    '004_sessions_leave_users': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').dropColumn('sessions_valid_after').execute();
      },
    },
    '020_email_tokens_mail_queue': {
      async up(db: Kysely<unknown>) {
        // an optional address, stored as typed; email_key (see src/email-address.ts) decides
        // uniqueness, and NULLs never clash, so accounts without one are fine
        await db.schema.alterTable('users').addColumn('email', 'text').execute();
        await db.schema.alterTable('users').addColumn('email_key', 'text').execute();
        await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
        await db.schema.createIndex('users_unique_email_key').on('users').column('email_key').unique().execute();
        // links sent by mail: only a SHA-256 of each token is kept, so a leaked table opens nothing
        await db.schema
          .createTable('email_tokens')
          .addColumn('id', 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
          )
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (col) => col.notNull())
          .addColumn('token_hash', 'text', (col) => col.notNull().unique())
          .addColumn('email', 'text')
          .addColumn('password_fingerprint', 'text', (col) => col.notNull())
          .addColumn('created_at', sql.raw(epochMs), (col) => col.notNull())
          .addColumn('expires_at', sql.raw(epochMs), (col) => col.notNull())
          .execute();
        await db.schema.createIndex('email_tokens_user_purpose').on('email_tokens').columns(['user_id', 'purpose']).execute();
        await db.schema.createIndex('email_tokens_expires_at').on('email_tokens').column('expires_at').execute();
        // mail waiting to go out: sealed (it carries live links), retried with backoff until sent
        await db.schema
          .createTable('mail_queue')
          .addColumn('id', 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
          )
          .addColumn('kind', 'text', (col) => col.notNull())
          .addColumn('sealed', 'text', (col) => col.notNull())
          .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('next_try_at', sql.raw(epochMs), (col) => col.notNull())
          .addColumn('last_error', 'text')
          .addColumn('failed_at', sql.raw(epochMs))
          .addColumn('created_at', sql.raw(epochMs), (col) => col.notNull())
          .execute();
        await db.schema.createIndex('mail_queue_next_try_at').on('mail_queue').columns(['failed_at', 'next_try_at']).execute();
      },
    },
  };
}

/**
 * Gives every existing account its username key. Accounts that already look alike are all kept:
 * the oldest holds the key, the later ones are marked as clashing and reported.
 */
async function fillUsernameKeys(db: Kysely<unknown>): Promise<string[][]> {
  const { rows } = await sql<{ id: number; username: string }>`select id, username from users order by id`.execute(db);
  const groups = new Map<string, string[]>();
  for (const { id, username } of rows) {
    const key = usernameKey(username);
    const group = groups.get(key);
    if (group) group.push(username);
    else groups.set(key, [username]);
    await sql`update users set username_key = ${key}, username_clash = ${group ? 1 : 0} where id = ${id}`.execute(db);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

async function currentSchema(db: Kysely<unknown>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

function warnAboutClashes(clashes: string[][]): void {
  if (clashes.length === 0) return;
  const list = clashes.map((group) => group.join(', ')).join('; ');
  process.emitWarning(
    `${clashes.length} group(s) of existing usernames look alike: ${list}. All accounts were kept; the oldest of each group ` +
      'holds the name and the others are marked users.username_clash = 1. New accounts cannot take these names.',
    { code: 'LATCHKEY_USERNAME_CLASHES' },
  );
}

/**
 * Brings the schema up to date (or up to `target`, for tests that need an older schema); runs at
 * every start and is a no-op when nothing is new. What needs a person's attention is returned and
 * also printed as a process warning.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, { target }: { target?: string } = {}): Promise<MigrationReport> {
  const report: MigrationReport = { usernameClashes: [] };
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect, report) };
  // Kysely looks for its bookkeeping tables in every schema unless told one: another schema's
  // (another app's, or a parallel test's) would be taken for ours
  const migrationTableSchema = dialect === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  warnAboutClashes(report.usernameClashes);
  return report;
}
