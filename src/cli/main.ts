import { CommanderError } from 'commander';
import { createCliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { buildProgram } from './program.js';

/**
 * The `latchkey` command (bin/latchkey.mjs runs this). A refusal is one line on stderr and exit
 * code 1; a crash prints its stack and exits 70 (EX_SOFTWARE).
 */
const cli = createCliContext();
try {
  await buildProgram(cli).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError) {
    console.error(`latchkey: ${error.message}`);
    process.exitCode = error.exitCode;
  } else if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    console.error(error);
    process.exitCode = 70;
  }
} finally {
  await cli.close();
}
