import type { Command } from 'commander';
import { passwordProblem } from 'latchkey';
import { USERNAME_CONFLICT_ERRORS, validateUserForm } from '../users/user-form.js';
import { allUsers } from './all-users.js';
import type { CliContext, CliServices } from './cli-context.js';
import { CliError } from './cli-error.js';
import { printJson, printTable, progressBar } from './output.js';
import { group, type RegisterCommands } from './command-group.js';
import { confirm, readPassword } from './prompt.js';

export const USERS_GROUP = 'Accounts: list, create, set a password, delete, unlock, send a reset link';

/** `latchkey users …`: list, create, set-password, delete, unlock. */
const usersCommands: RegisterCommands = (program: Command, cli: CliContext) => {
  const users = group(program, 'users', USERS_GROUP);

  users
    .command('list')
    .description('every user with id, username, created and live sessions')
    .option('--json', 'print JSON for scripts')
    .action(async (options: { json?: boolean }) => {
      const app = await cli.open();
      const total = await app.users.count();
      const bar = options.json ? null : progressBar(total, 'users');
      const rows = [];
      for await (const user of allUsers(app.users)) {
        const sessions = (await app.sessions.list(user.id)).length;
        rows.push({ id: user.id, username: user.username, first_name: user.firstName, last_name: user.lastName, created_at: user.createdAt, sessions });
        bar?.increment();
      }
      bar?.stop();
      if (options.json) return printJson(rows);
      if (rows.length === 0) return console.log('No users yet. Create one with `latchkey users create <username>`.');
      printTable(rows.map((row) => ({ ...row, created: row.created_at.slice(0, 10) })), ['id', 'username', 'created', 'sessions']);
    });

  users
    .command('create <username>')
    .description('create an account; the password is asked for (hidden), or read from stdin with --password-stdin')
    .option('--first-name <name>', 'first name', '')
    .option('--last-name <name>', 'last name', '')
    .option('--password-stdin', 'read the password from stdin (one line)')
    .option('--json', 'print the new user as JSON')
    .action(async (username: string, options: { firstName: string; lastName: string; passwordStdin?: boolean; json?: boolean }) => {
      const password = await readPassword({ fromStdin: Boolean(options.passwordStdin), confirm: true });
      // the signup form's rules, word for word
      const { values, errors, ok } = validateUserForm({ username, password, first_name: options.firstName, last_name: options.lastName });
      if (!ok) throw new CliError(Object.entries(errors).map(([field, error]) => `${field}: ${error}`).join('\n'));
      const app = await cli.open();
      const created = await app.users.create({ ...values, passwordHash: await app.passwords.hash(values.password) });
      if ('conflict' in created) throw new CliError(`username: ${USERNAME_CONFLICT_ERRORS[created.conflict]}`);
      if (options.json) return printJson({ id: created.user.id, username: created.user.username });
      console.log(`Created ${created.user.username} (id ${created.user.id}).`);
    });

  users
    .command('set-password <username>')
    .description("set a user's password (same rules as signup); ends all their sessions and revokes their API tokens")
    .option('--password-stdin', 'read the password from stdin (one line)')
    .action(async (username: string, options: { passwordStdin?: boolean }) => {
      const password = await readPassword({ fromStdin: Boolean(options.passwordStdin), confirm: true });
      const problem = passwordProblem(password);
      if (problem) throw new CliError(`password: ${problem}`);
      const app = await cli.open();
      const user = await app.userNamed(username);
      const passwordHash = await app.passwords.hash(password);
      const outcome = await app.users.update(user.id, { username: user.username, firstName: user.firstName, lastName: user.lastName, passwordHash });
      if (outcome !== 'updated') throw new CliError(`could not update ${user.username} (${outcome})`);
      const { sessions, tokens } = await endAccess(app, user.id);
      console.log(`Set the password of ${user.username}; ended ${plural(sessions, 'session')} and revoked ${plural(tokens, 'API token')}.`);
    });

  users
    .command('delete <username>')
    .description('delete a user, their messages, sessions and tokens; asks first unless --yes')
    .option('-y, --yes', 'do not ask')
    .action(async (username: string, options: { yes?: boolean }) => {
      const app = await cli.open();
      const user = await app.userNamed(username);
      const messages = await app.messages.countByUser(user.id);
      if (!options.yes && !(await confirm(`Delete ${user.username} (id ${user.id}) and ${plural(messages, 'message')}?`, '--yes'))) {
        throw new CliError('nothing was deleted');
      }
      await app.users.delete(user.id);
      await app.sessions.endAll(user.id);
      console.log(`Deleted ${user.username} and ${plural(messages, 'message')}; their sessions have ended.`);
    });

  users
    .command('unlock <username>')
    .description('clear the login throttling of a username (its failed logins from every address)')
    .action(async (username: string) => {
      const app = await cli.open();
      const cleared = await app.throttle.unlock(username);
      console.log(cleared > 0 ? `Cleared the failed logins of ${username} (${plural(cleared, 'counter')}).` : `${username} had no failed logins to clear.`);
    });
};

/** What a new password set by an administrator ends: every session and every API token of the user. */
async function endAccess(app: CliServices, userId: number) {
  const sessions = (await app.sessions.list(userId)).length;
  await app.sessions.endAll(userId);
  return { sessions, tokens: await app.tokens.revokeAll(userId) };
}

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export default usersCommands;
