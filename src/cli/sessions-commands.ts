import type { Command } from 'commander';
import { deviceName } from '../users/device-name.js';
import type { User } from '../users/user-repository.js';
import { allUsers } from './all-users.js';
import type { CliContext, CliServices } from './cli-context.js';
import { CliError } from './cli-error.js';
import { printJson, printTable, progressBar, when } from './output.js';
import { group, type RegisterCommands } from './command-group.js';
import { plural } from './users-commands.js';

/**
 * `latchkey sessions …`: list, end, sweep. Ending works the same in every session mode: a
 * server-mode session and a cookie-mode login both have a row (or Redis record) in the store, and
 * the next request with that cookie finds none and is logged out.
 */
const sessionsCommands: RegisterCommands = (program: Command, cli: CliContext) => {
  const sessions = group(program, 'sessions', 'Where people are logged in: list, end, sweep');

  sessions
    .command('list [username]')
    .description("live sessions: one user's, or everyone's")
    .option('--json', 'print JSON for scripts')
    .action(async (username: string | undefined, options: { json?: boolean }) => {
      const app = await cli.open();
      const owners = username ? [await app.userNamed(username)] : allUsers(app.users);
      const rows = [];
      for await (const user of owners) {
        for (const session of await app.sessions.list(user.id)) {
          rows.push({
            username: user.username,
            user_id: user.id,
            handle: session.handle,
            device: deviceName(session.userAgent),
            ip: session.ip,
            created_at: new Date(session.createdAt).toISOString(),
            last_seen_at: new Date(session.lastSeenAt).toISOString(),
            remember: session.remember,
          });
        }
      }
      if (options.json) return printJson(rows);
      if (rows.length === 0) return console.log(username ? `${username} is not logged in anywhere.` : 'Nobody is logged in.');
      printTable(
        rows.map((row) => ({ ...row, 'logged in': when(row.created_at), 'last seen': when(row.last_seen_at) })),
        ['username', 'handle', 'device', 'ip', 'logged in', 'last seen'],
      );
    });

  sessions
    .command('end [username]')
    .description("end a user's sessions at once (their next click finds them logged out), or everyone's with --all")
    .option('--all', "end every user's sessions")
    .action(async (username: string | undefined, options: { all?: boolean }) => {
      if (Boolean(username) === Boolean(options.all)) throw new CliError('name a user, or give --all (not both)');
      const app = await cli.open();
      if (username) {
        const user = await app.userNamed(username);
        const ended = await endUser(app, user);
        return console.log(`Ended ${plural(ended, 'session')} of ${user.username}.`);
      }
      const bar = progressBar(await app.users.count(), 'users');
      let ended = 0;
      for await (const user of allUsers(app.users)) {
        ended += await endUser(app, user);
        bar.increment();
      }
      bar.stop();
      console.log(`Ended ${plural(ended, 'session')}; everyone must log in again.`);
    });

  sessions
    .command('sweep')
    .description('delete expired sessions and login-throttling counters')
    .action(async () => {
      const app = await cli.open();
      const now = Date.now();
      const bar = progressBar(2, 'sweeping');
      const swept = app.store.sweep ? await app.store.sweep(now) : null;
      bar.increment();
      const counters = app.throttle.sweep ? await app.throttle.sweep(now) : null;
      bar.increment();
      bar.stop();
      console.log(swept === null ? 'Sessions live in Redis, which expires them by itself.' : `Deleted ${plural(swept, 'expired session')}.`);
      if (counters !== null) console.log(`Deleted ${plural(counters, 'expired throttling counter')}.`);
    });
};

async function endUser(app: CliServices, user: User): Promise<number> {
  const count = (await app.sessions.list(user.id)).length;
  await app.sessions.endAll(user.id);
  return count;
}

export default sessionsCommands;
