import { Command } from 'commander';
import { type CliContext, createCliContext } from './cli-context.js';
import { COMMANDS } from './commands.js';

/** What a command module exports: a function that adds its subcommands to the program. */
export type RegisterCommands = (program: Command, cli: CliContext) => void;

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

/**
 * The command group `name` (`latchkey users …`), made on first use, so modules in several files can
 * add subcommands to one group.
 *
 * @example
 * group(program, 'users', 'Accounts').command('send-reset <username>')
 */
export function group(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((command) => command.name() === name);
  if (existing) return existing;
  return program.command(name).description(description);
}
