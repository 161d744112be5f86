import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEST_KEY } from '../helpers.js';

/** bin/latchkey.mjs of the repository, found upwards from here (tests may run from a compiled copy). */
function findBin(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'latchkey.mjs');
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) throw new Error('bin/latchkey.mjs not found above the tests');
  }
}

const BIN = findBin(import.meta.dirname);

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A directory for the CLI to run in: its own DATA_DIR and no stray .env. */
export const cliDirectory = () => mkdtempSync(join(tmpdir(), 'latchkey-cli-'));

/**
 * Runs the real `latchkey` binary, as an operator would, with the server's configuration in its
 * environment; `input` is piped to stdin (for --password-stdin). Bounded: a hung command fails.
 */
export function runCli(args: string[], { env = {}, input, cwd = cliDirectory() }: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const merged: Record<string, string> = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', SECRET_KEYS: TEST_KEY, BCRYPT_ROUNDS: '4', DATA_DIR: join(cwd, 'data'), ...env };
    // a variable given as '' is left out, so a .env file can set it
    const childEnv = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: childEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`latchkey ${args.join(' ')} did not finish within 60 s\n${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
