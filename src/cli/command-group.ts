import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

/** What a command module exports: a function that adds its subcommands to the program. */
export type RegisterCommands = (program: Command, cli: CliContext) => void;

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
