/**
 * The fallback load tool when wrk is not installed: autocannon's CLI in its
 * own process (so it does not share the driver's event loop), JSON output.
 */
import { createRequire } from 'node:module';
import { runTimedCommand } from './children.mjs';
import { pinned } from './pinning.mjs';

const require = createRequire(import.meta.url);
const AUTOCANNON_BIN = require.resolve('autocannon/autocannon.js');

/** Runs autocannon for `seconds` with `connections` and the given headers. */
export async function runAutocannon({ url, seconds, connections, threads, headers = {} }) {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load a non-loopback URL: ${url}`);
  const args = [AUTOCANNON_BIN, '--json', '-c', String(connections), '-d', String(seconds), '-t', '5'];
  if (threads > 1) args.push('-w', String(threads));
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}:${v}`);
  args.push(url);
  const { code, output, cpuMs } = await runTimedCommand(...pinned('load', process.execPath, args), { timeoutMs: (seconds + 20) * 1000 });
  const line = output.split('\n').reverse().find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`autocannon failed (exit ${code}): ${output.slice(-500)}`);
  const r = JSON.parse(line);
  const requests = r.requests.total;
  return {
    rps: requests / r.duration,
    p99Ms: r.latency.p99,
    requests,
    bytesPerRequest: requests ? Math.round(r.throughput.total / requests) : null,
    non2xx3xx: (r.non2xx ?? 0) - (r['3xx'] ?? 0),
    socketErrors: (r.errors ?? 0) + (r.timeouts ?? 0),
    toolCpuMs: cpuMs,
  };
}
