import type { Kysely } from 'kysely';
import type { Command } from 'commander';
import { migrateToLatest } from '../db/migrations.js';
import type { CliContext } from './cli-context.js';
import { DEADLINE_MS } from './cli-context.js';
import { withDeadline } from './cli-error.js';
import { group, type RegisterCommands } from './command-group.js';

/** `latchkey db migrate`: brings the schema up to date and says what ran. */
const dbCommands: RegisterCommands = (program: Command, cli: CliContext) => {
  group(program, 'db', 'The database')
    .command('migrate')
    .description('apply pending migrations (the server also does at start) and say which ran')
    .action(async () => {
      const app = await cli.open({ migrate: false });
      const report = await migrateToLatest(app.database.db as Kysely<unknown>, app.database.dialect);
      await withDeadline(app.store.migrate?.() ?? Promise.resolve(), DEADLINE_MS, 'the session store');
      if (report.applied.length === 0) console.log('The database is up to date.');
      else for (const name of report.applied) console.log(`applied ${name}`);
    });
};

export default dbCommands;
