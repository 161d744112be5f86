/**
 * One bounded wrk run (duration, connections and threads always explicit)
 * against a loopback URL; parses req/s, p99 and error counts from --latency output.
 */
import { runTimedCommand } from './children.mjs';
import { pinned } from './pinning.mjs';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const UNIT_BYTES = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

export function parseWrk(output) {
  const num = (re) => { const m = output.match(re); return m ? Number(m[1]) : null; };
  const p99 = output.match(/^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$/m);
  const read = output.match(/(\d+) requests in ([\d.]+)(\w+), ([\d.]+)([KMGT]?B) read/);
  const socket = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const requests = read ? Number(read[1]) : null;
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p99Ms: p99 ? Number(p99[1]) * UNIT_MS[p99[2]] : null,
    requests,
    bytesPerRequest: read && requests ? Math.round((Number(read[4]) * UNIT_BYTES[read[5]]) / requests) : null,
    non2xx3xx: num(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0,
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

/** Runs wrk for `seconds` with `connections` and the given headers. */
export async function runWrk({ url, seconds, connections, threads, headers = {} }) {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load a non-loopback URL: ${url}`);
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '5s', '--latency'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  const { code, output, cpuMs } = await runTimedCommand(...pinned('load', 'wrk', args), { timeoutMs: (seconds + 15) * 1000 });
  const parsed = parseWrk(output);
  if (code !== 0 || parsed.rps === null) throw new Error(`wrk failed (exit ${code}): ${output.slice(-500)}`);
  return { ...parsed, toolCpuMs: cpuMs };
}
