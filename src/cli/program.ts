import { Command } from 'commander';
import { registerImportFlask } from './import-flask.js';
import { registerUsersCommands } from './users-commands.js';

/**
 * The `latchkey` command and its subcommands.
 *
 * @example
 * await createProgram().parseAsync(['node', 'latchkey', 'import-flask', 'flask.db']);
 */
export function createProgram(): Command {
  const program = new Command('latchkey').description('Latchkey: administer the app from the command line').showHelpAfterError();
  registerImportFlask(program);
  registerUsersCommands(program);
  return program;
}
