import { Option, type Command } from 'commander';
import { type Kysely, sql } from 'kysely';
import { loadConfig, redactUrl } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { IMPORTS_TABLE, type ImportSchema, type ImportsTable, importMessages, recordImported } from './flask-messages.js';
import { openFlaskSource } from './flask-source.js';
import { planUsers } from './flask-user-plan.js';
import { formatImportReport, type ImportReport } from './import-report.js';
import { createProgress } from './progress.js';

export { formatImportReport, type ImportReport } from './import-report.js';

export interface ImportFlaskOptions {
  /** The Flask app's database: a SQLite file or a Postgres URL (see openFlaskSource). */
  source: string;
  /** Latchkey's database, open and migrated. */
  database: Database;
  /** Flask-Bcrypt ran with `BCRYPT_HANDLE_LONG_PASSWORDS = True`: its hashes are of the password's SHA-256 hex digest. */
  bcryptHandleLongPasswords?: boolean;
  /** Told how many of `total` rows are done, after each batch (a progress bar). */
  onProgress?(done: number, total: number): void;
  /** The time written as `created_at` / `updated_at`. */
  now?: () => Date;
}

const BATCH = 500;
const MESSAGE_BATCH = 2000;

/**
 * Copies the Flask app's users and messages into Latchkey's database, in one transaction: users
 * keep their ids, names and Flask-Bcrypt hashes (verified as they are), messages their ids and
 * owners. Run it again to bring over what changed and what is new; a row Latchkey made itself is
 * never overwritten (the Flask row is reported instead). Id sequences move past the imported ids.
 *
 * @example
 * const report = await importFlask({ source: 'sqlite:////srv/flask/app.db', database });
 */
export async function importFlask(options: ImportFlaskOptions): Promise<ImportReport> {
  const { database, bcryptHandleLongPasswords = false, onProgress } = options;
  const now = (options.now ?? (() => new Date()))().toISOString();
  const source = await openFlaskSource(options.source);
  try {
    const counts = await source.counts();
    const total = counts.users + counts.messages;
    let done = 0;
    const advance = (rows: number) => {
      done += rows;
      onProgress?.(done, total);
    };
    onProgress?.(0, total);
    const flaskUsers = await source.users();

    return await database.db.transaction().execute(async (outer) => {
      const trx = outer.withTables<ImportsTable>();
      await trx.schema.createTable(IMPORTS_TABLE).ifNotExists()
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('id', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint(`${IMPORTS_TABLE}_pkey`, ['kind', 'id'])
        .execute();
      const existing = await trx.selectFrom('users').select(['id', 'username', 'username_key', 'username_clash', 'password_hash', 'first_name', 'last_name']).execute();
      const importedUsers = new Set((await trx.selectFrom(IMPORTS_TABLE).select('id').where('kind', '=', 'user').execute()).map((row) => row.id));
      const plan = planUsers(flaskUsers, existing, importedUsers, { bcryptSha256: bcryptHandleLongPasswords });

      // the unique indexes hold at every statement: a row takes a name (or the key's unmarked place)
      // only after the row that had it has let go, so renamed rows are parked and losers marked first
      const before = new Map(existing.map((row) => [row.id, row]));
      for (const row of plan.updates.filter((update) => before.get(update.id)!.username !== update.username)) {
        const parked = `\u0001flask-import:${row.id}`;
        await trx.updateTable('users').set({ username: parked, username_key: parked, username_clash: 1 }).where('id', '=', row.id).execute();
      }
      for (const row of [...plan.updates, ...plan.flagChanges]) {
        if (row.username_clash === 1 && before.get(row.id)!.username_clash === 0) {
          await trx.updateTable('users').set({ username_clash: 1 }).where('id', '=', row.id).execute();
        }
      }
      for (const clash of [1, 0]) {
        for (const row of plan.updates.filter((update) => update.username_clash === clash)) {
          const { id, ...values } = row;
          await trx.updateTable('users').set({ ...values, updated_at: now }).where('id', '=', id).execute();
        }
        const inserts = plan.inserts.filter((insert) => insert.username_clash === clash);
        for (let start = 0; start < inserts.length; start += BATCH) {
          const batch = inserts.slice(start, start + BATCH);
          await trx.insertInto('users').values(batch.map((row) => ({ ...row, created_at: now, updated_at: now }))).execute();
          await recordImported(trx, 'user', batch.map((row) => row.id));
          advance(batch.length);
        }
      }
      for (const row of plan.flagChanges.filter((change) => change.username_clash === 0)) {
        await trx.updateTable('users').set({ username_clash: 0 }).where('id', '=', row.id).execute();
      }
      advance(flaskUsers.length - plan.inserts.length);

      const messages = await importMessages(trx, source.messages(MESSAGE_BATCH), plan.imported, now, advance);
      await moveSequencesPast(trx, database.dialect);
      return {
        users: { added: plan.inserts.length, updated: plan.updates.length, unchanged: plan.unchanged, skipped: plan.skipped, stale: plan.stale },
        messages,
        clashes: plan.clashes,
        unusableHashes: plan.unusableHashes,
        unusualUsernames: plan.unusualUsernames,
      };
    });
  } finally {
    await source.close();
  }
}

/**
 * The next user or message Latchkey creates must get an id past every imported one. SQLite's
 * AUTOINCREMENT counter follows explicit ids by itself; a Postgres identity does not, and is
 * moved here (never backwards: an id once used is not handed out again).
 */
async function moveSequencesPast(trx: Kysely<ImportSchema>, dialect: Database['dialect']): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of ['users', 'messages'] as const) {
    const { rows } = await sql<{ sequence: string }>`select pg_get_serial_sequence(${table}, 'id') as sequence`.execute(trx);
    const sequence = rows[0]?.sequence;
    if (!sequence) continue;
    await sql`select setval(${sequence}::regclass, greatest(
      (select coalesce(max(id), 0) from ${sql.table(table)}),
      (select case when is_called then last_value else last_value - 1 end from ${sql.raw(quoteSequence(sequence))})
    ) + 1, false)`.execute(trx);
  }
}

/** pg_get_serial_sequence gives an already quoted, schema-qualified name; it is only ever that. */
function quoteSequence(name: string): string {
  if (!/^("[^"]+"|[a-z_][a-z0-9_$]*)(\.("[^"]+"|[a-z_][a-z0-9_$]*))?$/.test(name)) throw new Error(`unexpected sequence name ${name}`);
  return name;
}

/**
 * `latchkey import-flask <database-url>`: imports into the database of DATABASE_URL (or `--into`),
 * with a progress bar on a terminal and the summary on stdout.
 *
 * @example
 * registerImportFlask(program);
 */
export function registerImportFlask(program: Command): Command {
  return program
    .command('import-flask')
    .description("copy the Flask app's users (with their bcrypt hashes) and messages into Latchkey's database; run again to bring over changes")
    .argument('<database-url>', "the Flask app's database: a SQLite file (path or sqlite:////abs/path) or postgres://…")
    .option('--into <database-url>', "Latchkey's database (default: DATABASE_URL)")
    .addOption(new Option('--bcrypt-handle-long-passwords', "the Flask app set BCRYPT_HANDLE_LONG_PASSWORDS = True (hashes of the password's SHA-256 hex digest)"))
    .action(async (url: string, flags: { into?: string; bcryptHandleLongPasswords?: boolean }) => {
      const into = flags.into ?? loadConfig().databaseUrl;
      const database = await openDatabase(into);
      const progress = createProgress('importing', process.stderr);
      try {
        const report = await importFlask({
          source: url,
          database,
          bcryptHandleLongPasswords: flags.bcryptHandleLongPasswords === true,
          onProgress: progress.update,
        });
        progress.stop();
        process.stdout.write(`${formatImportReport(report, redactUrl(url), redactUrl(into))}\n`);
      } finally {
        progress.stop();
        await database.close();
      }
    });
}
