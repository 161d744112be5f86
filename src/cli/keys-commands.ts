import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { group, type RegisterCommands } from './command-group.js';

/** `latchkey keys generate`: a new secret for SECRET_KEYS. */
const keysCommands: RegisterCommands = (program: Command) => {
  group(program, 'keys', 'Secret keys')
    .command('generate')
    .description('print a new random secret (256 bits, hex) for SECRET_KEYS')
    .action(() => {
      console.log(randomBytes(32).toString('hex'));
      if (process.stderr.isTTY) console.error('Put it first in SECRET_KEYS and keep the old key after it (SECRET_KEYS=new,old): nobody is logged out.');
    });
};

export default keysCommands;
