import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./flask-oracle.py', import.meta.url));

function findMissingFlask(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import flask, itsdangerous'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error !== undefined) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status === 0) return null;
  const lastLine = probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.status}`;
  return `${PYTHON} cannot import flask and itsdangerous (${lastLine}); apt-get install python3-flask`;
}

const missing = findMissingFlask();

/**
 * Options for a test that needs the real Flask. Without Flask it is skipped
 * and the runner prints why; under CI=true it runs anyway and fails, since a
 * CI machine without Flask would otherwise pass by proving nothing.
 */
export const needsFlask: { skip: string | false } = {
  skip: missing !== null && process.env.CI !== 'true' ? `needs Flask: ${missing}` : false,
};

type Answer = { ok: unknown } | { fail: string };

export interface FlaskOracle {
  call<T>(op: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * One Python process running Flask's own session code (flask-oracle.py),
 * started on the first call. Answers come back in request order.
 */
export function createFlaskOracle(): FlaskOracle {
  let child: ChildProcessWithoutNullStreams | undefined;
  let stderr = '';
  const waiting: Array<{ resolve: (answer: Answer) => void; reject: (error: Error) => void }> = [];

  const start = (): ChildProcessWithoutNullStreams => {
    if (missing !== null) throw new Error(`Flask is required (CI=true) but ${missing}`);
    const proc = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    createInterface({ input: proc.stdout }).on('line', (line) => {
      waiting.shift()?.resolve(JSON.parse(line) as Answer);
    });
    proc.on('exit', (code) => {
      for (const pending of waiting.splice(0)) pending.reject(new Error(`flask-oracle.py exited (${code}): ${stderr}`));
    });
    return proc;
  };

  return {
    async call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
      child ??= start();
      const proc = child;
      const answer = await new Promise<Answer>((resolve, reject) => {
        waiting.push({ resolve, reject });
        proc.stdin.write(`${JSON.stringify({ op, ...args })}\n`);
      });
      if ('fail' in answer) throw new Error(`flask-oracle.py ${op} failed:\n${answer.fail}`);
      return answer.ok as T;
    },
    async close() {
      if (child === undefined || child.exitCode !== null) return;
      const proc = child;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.stdin.end();
      });
    },
  };
}
