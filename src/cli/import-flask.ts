import { Option, type Command } from 'commander';
import { type Kysely, sql } from 'kysely';
import { loadConfig, redactUrl } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import { type FlaskMessage, openFlaskSource } from './flask-source.js';
import { type ClashGroup, planUsers, type SkippedUser, type UserRowValues } from './flask-user-plan.js';
import { createProgress } from './progress.js';

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

/** What an import did, for the summary. */
export interface ImportReport {
  users: { added: number; updated: number; unchanged: number; skipped: SkippedUser[]; stale: number };
  messages: { added: number; updated: number; unchanged: number; skipped: { id: number; reason: string }[]; stale: number };
  clashes: ClashGroup[];
  unusableHashes: number[];
  unusualUsernames: string[];
}

/** Bookkeeping of which rows came from Flask: only those may be updated by a later run. */
const IMPORTS_TABLE = 'latchkey_flask_imports';
type ImportsTable = { latchkey_flask_imports: { kind: string; id: number } };
type ImportSchema = Schema & ImportsTable;
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

type Trx = Kysely<ImportSchema>;

async function recordImported(trx: Trx, kind: 'user' | 'message', ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.insertInto(IMPORTS_TABLE).values(ids.map((id) => ({ kind, id }))).onConflict((oc) => oc.doNothing()).execute();
}

/** Messages a batch at a time: each batch is compared with the same id range in Latchkey. */
async function importMessages(trx: Trx, batches: AsyncIterable<FlaskMessage[]>, owners: ReadonlySet<number>, now: string, advance: (rows: number) => void) {
  const report: ImportReport['messages'] = { added: 0, updated: 0, unchanged: 0, skipped: [], stale: 0 };
  let importedSeen = 0;
  for await (const batch of batches) {
    const first = batch[0]!.id;
    const last = batch.at(-1)!.id;
    const existing = new Map(
      (await trx.selectFrom('messages').select(['id', 'user_id', 'content']).where('id', '>=', first).where('id', '<=', last).execute()).map((row) => [row.id, row]),
    );
    const imported = new Set(
      (await trx.selectFrom(IMPORTS_TABLE).select('id').where('kind', '=', 'message').where('id', '>=', first).where('id', '<=', last).execute()).map((row) => row.id),
    );
    const inserts: FlaskMessage[] = [];
    for (const message of batch) {
      const before = existing.get(message.id);
      if (before && imported.has(message.id)) importedSeen++;
      if (message.user_id === null || !owners.has(message.user_id)) {
        const why = message.user_id === null ? 'it has no user' : `its user #${message.user_id} was not imported`;
        report.skipped.push({ id: message.id, reason: why });
      } else if (before && !imported.has(message.id)) {
        report.skipped.push({ id: message.id, reason: `Latchkey's own message #${message.id} has this id` });
      } else if (!before) {
        inserts.push(message);
      } else if (before.user_id === message.user_id && before.content === message.content) {
        report.unchanged++;
      } else {
        await trx.updateTable('messages').set({ user_id: message.user_id, content: message.content, updated_at: now }).where('id', '=', message.id).execute();
        report.updated++;
      }
    }
    for (let start = 0; start < inserts.length; start += BATCH) {
      const rows = inserts.slice(start, start + BATCH);
      await trx.insertInto('messages').values(rows.map(({ id, user_id, content }) => ({ id, user_id: user_id!, content, created_at: now, updated_at: now }))).execute();
      await recordImported(trx, 'message', rows.map((row) => row.id));
    }
    report.added += inserts.length;
    advance(batch.length);
  }
  const { count } = await trx.selectFrom(IMPORTS_TABLE).select((eb) => eb.fn.countAll<number | string>().as('count')).where('kind', '=', 'message').executeTakeFirstOrThrow();
  report.stale = Number(count) - report.added - importedSeen;
  return report;
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

/** The summary printed at the end: counts, then everything a person should look at. */
export function formatImportReport(report: ImportReport, from: string, into: string): string {
  const { users, messages } = report;
  const lines = [
    `Imported from ${from} into ${into}:`,
    `  users:    ${users.added} added, ${users.updated} updated, ${users.unchanged} unchanged, ${users.skipped.length} not imported`,
    `  messages: ${messages.added} added, ${messages.updated} updated, ${messages.unchanged} unchanged, ${messages.skipped.length} not imported`,
  ];
  if (report.clashes.length > 0) {
    lines.push(
      `${report.clashes.length} group(s) of usernames are one name under Latchkey's rules (case, lookalike letters). All were imported;`,
      '  the account marked * holds the name, the others are marked users.username_clash = 1 and log in with their exact spelling:',
      ...report.clashes.map((group) => `  ${group.map((user) => `#${user.id} ${user.username}${user.holdsName ? ' *' : ''}`).join(', ')}`),
    );
  }
  if (users.skipped.length > 0) lines.push('Users not imported:', ...users.skipped.map((user) => `  #${user.id} ${user.username}: ${user.reason}`));
  if (messages.skipped.length > 0) {
    lines.push('Messages not imported:', ...messages.skipped.slice(0, 20).map((message) => `  #${message.id}: ${message.reason}`));
    if (messages.skipped.length > 20) lines.push(`  … and ${messages.skipped.length - 20} more`);
  }
  if (report.unusableHashes.length > 0) {
    lines.push(`${report.unusableHashes.length} user(s) have no bcrypt hash and cannot log in until their password is reset: #${report.unusableHashes.slice(0, 20).join(', #')}`);
  }
  if (report.unusualUsernames.length > 0) {
    lines.push(`${report.unusualUsernames.length} username(s) are outside Latchkey's signup rules (kept; they must pick another to edit their profile): ${report.unusualUsernames.slice(0, 20).map((name) => JSON.stringify(name)).join(', ')}`);
  }
  if (users.stale + messages.stale > 0) {
    lines.push(`${users.stale} user(s) and ${messages.stale} message(s) imported before are no longer in Flask; they were kept.`);
  }
  return lines.join('\n');
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
