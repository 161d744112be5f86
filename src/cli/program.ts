import { Command } from 'commander';
import { type CliContext, createCliContext } from './cli-context.js';
import { COMMANDS } from './commands.js';

/**
 * The `latchkey` program with every command module's subcommands. Each module registers itself
 * (src/cli/commands.ts lists them), so a new command is a new file and one line there.
 *
 * @example
 * await createProgram(createCliContext()).parseAsync(process.argv);
 */
export function createProgram(cli: CliContext = createCliContext()): Command {
  const program = new Command('latchkey')
    .description("Administer a Latchkey site from the shell: users, sessions, keys, the database. Reads the server's configuration (environment and .env).")
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: true });
  for (const register of COMMANDS) register(program, cli);
  return program;
}
