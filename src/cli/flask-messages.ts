import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { FlaskMessage } from './flask-source.js';
import type { ImportReport } from './import-report.js';

/** Bookkeeping of which rows came from Flask: only those may be updated by a later run. */
export const IMPORTS_TABLE = 'latchkey_flask_imports';
export type ImportsTable = { latchkey_flask_imports: { kind: string; id: number } };
export type ImportSchema = Schema & ImportsTable;
export type Trx = Kysely<ImportSchema>;
const BATCH = 500;

/** Notes that these rows came from Flask. */
export async function recordImported(trx: Trx, kind: 'user' | 'message', ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.insertInto(IMPORTS_TABLE).values(ids.map((id) => ({ kind, id }))).onConflict((oc) => oc.doNothing()).execute();
}

/** Messages a batch at a time: each batch is compared with the same id range in Latchkey. */
export async function importMessages(trx: Trx, batches: AsyncIterable<FlaskMessage[]>, owners: ReadonlySet<number>, now: string, advance: (rows: number) => void) {
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

