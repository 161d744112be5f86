/**
 * Writes the latest results into bench/README.md between the
 * `<!-- results:begin -->` and `<!-- results:end -->` markers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildTables, tablesToMarkdown } from './tables.mjs';

const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';

function pinningText(pinning) {
  if (!pinning) return 'unpinned';
  return pinning.enabled ? `servers pinned to CPU ${pinning.serverCpu}, load generator and driver to CPU ${pinning.loadCpu}` : pinning.notice;
}

function machineLine(results) {
  const m = results.machine;
  const p = m.packages;
  const py = m.python ? `; Python ${m.python.python}, Flask ${m.python.flask}, gunicorn ${m.python.gunicorn}` : '';
  return `Measured ${results.generatedAt} (${results.mode} run: ${results.plan.warmupSec}s warm-up, ${results.plan.rounds} × ${results.plan.roundSec}s rounds, ${results.plan.connections} connections, ${results.plan.threads} load thread) `
    + `on ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}; ${pinningText(results.pinning)}; Node ${m.node}; ${m.loadTool}; `
    + `fastify ${p.fastify}, @fastify/secure-session ${p['@fastify/secure-session']}, @fastify/session ${p['@fastify/session']}, `
    + `express ${p.express}, express-session ${p['express-session']}, better-sqlite3 ${p['better-sqlite3']}, bcrypt ${p.bcrypt}${py}.`;
}

/** Replaces the results section of `readmePath` with tables for `results`. */
export function updateReadme(readmePath, results) {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return false;
  const skipped = Object.values(results.targets).filter((t) => t.status !== 'ok').map((t) => `- ${t.label}: skipped — ${t.notice}`);
  const section = [BEGIN, '', machineLine(results), '', ...(skipped.length ? [...skipped, ''] : []),
    tablesToMarkdown(buildTables(results)), '', '![bench chart](chart.svg)', '', END].join('\n');
  writeFileSync(readmePath, readme.slice(0, start) + section + readme.slice(end + END.length));
  return true;
}
