import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.js';

/** True when a person is at the keyboard: the CLI may ask them things. */
export const interactive = () => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/**
 * A password, typed without echo (twice when `confirm`), or read from stdin with
 * `--password-stdin` (one line; a trailing newline is not part of it).
 */
export async function readPassword({ fromStdin, confirm }: { fromStdin: boolean; confirm: boolean }): Promise<string> {
  if (fromStdin) return (await readStdin()).replace(/\r?\n$/, '');
  if (!interactive()) throw new CliError('no terminal to ask for the password: pipe it in with --password-stdin');
  const password = await askHidden('Password: ');
  if (confirm && (await askHidden('Again: ')) !== password) throw new CliError('the two passwords differ; nothing was changed');
  return password;
}

/** Asks a yes/no question; only "y" or "yes" is yes. Without a terminal it refuses, naming the flag that answers it. */
export async function confirm(question: string, flag: string): Promise<boolean> {
  if (!interactive()) throw new CliError(`no terminal to ask "${question}": add ${flag} to go ahead`);
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await readline.question(`${question} [y/N] `)).trim());
  } finally {
    readline.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal in raw mode, echoing nothing. Ctrl-C gives up. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CliError('cancelled', 130));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
