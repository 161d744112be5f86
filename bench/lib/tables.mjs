/**
 * The report's tables, built once from results.json and rendered either as
 * aligned text (the terminal) or as Markdown (bench/README.md).
 */
import { checkGoals, LATCHKEY_MODES } from './goals.mjs';
import { NOISY_PCT } from './cpu-meter.mjs';
import { CASCADE_MARK_COMPACTS_PER_10K, CASCADE_MIN_MARK_COMPACTS, isCascade } from './gc-stats.mjs';

const LOAD_SCENARIOS = [['welcome', 'welcome'], ['count', '/count'], ['anonymous', 'anonymous'], ['sessions1k', 'welcome, 1k sessions'], ['sessions1M', 'welcome, 1M sessions']];
const fmt = (x, digits = 0) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const noisyMark = (s) => (s.foreignCpuPct > NOISY_PCT ? ' *' : '');
const cell = (s) => (!s ? '–' : s.error ? 'error' : `${fmt(s.rps)} (${fmt(s.p99Ms, 1)})${noisyMark(s)}`);
const ratioCell = (a, b) => (a?.rps && b?.rps ? `${(a.rps / b.rps).toFixed(2)}x` : '–');
const cpuCell = (s, value) => (!s ? '–' : s.error ? 'error' : `${fmt(value)}${noisyMark(s)}`);
const gcCell = (s) => (!s?.gc ? '–' : `${fmt(s.gc.scavengesPerSec, 1)} · ${fmt(s.gc.markCompactsPerSec, 2)} · ${fmt(s.gc.pausePct, 1)}%${isCascade(s.gc, s.rps) ? ' CASCADE' : ''}`);
const GC_SCENARIOS = [...LOAD_SCENARIOS, ['loginStorm', 'login storm']];

/** [{ title, header, rows }] for throughput, ratios, the login storm and the goals. */
export function buildTables(results) {
  const targets = Object.entries(results.targets);
  const measured = targets.filter(([, t]) => t.status === 'ok');
  const sc = (id, s) => results.targets[id]?.scenarios?.[s];
  const tables = [{
    title: 'Throughput: median req/s over the rounds (median p99 latency, ms); * = machine busy, not comparable',
    header: ['target', ...LOAD_SCENARIOS.map(([, label]) => label)],
    rows: targets.map(([id, t]) => [t.label, ...LOAD_SCENARIOS.map(([s]) => (t.status === 'ok' ? cell(sc(id, s)) : `skipped`))]),
  }];
  if (measured.some(([, t]) => Object.values(t.scenarios).some((x) => x.cpuUsPerRequest || x.cpuMsPerLogin))) tables.push({
    title: 'Server CPU per request: µs, median over the rounds (the server\'s process group\'s CPU from /proc ÷ requests served); login storm: ms per login',
    header: ['target', ...LOAD_SCENARIOS.map(([, label]) => label), 'login storm'],
    rows: measured.map(([id, t]) => [t.label, ...LOAD_SCENARIOS.map(([s]) => cpuCell(sc(id, s), sc(id, s)?.cpuUsPerRequest)), cpuCell(sc(id, 'loginStorm'), sc(id, 'loginStorm')?.cpuMsPerLogin)]),
  });
  const ceiling = results.targets['node-http-ceiling']?.status === 'ok' ? 'node-http-ceiling' : null;
  if (ceiling) {
    tables.push({
      title: 'Ratio to the node:http ceiling (same run)',
      header: ['target', 'welcome', '/count', 'anonymous'],
      rows: measured.map(([id, t]) => [t.label, ...['welcome', 'count', 'anonymous'].map((s) => ratioCell(sc(id, s), sc(ceiling, s)))]),
    });
  }
  const modes = LATCHKEY_MODES.filter(([id]) => results.targets[id]?.status === 'ok');
  if (modes.length) {
    tables.push({
      title: 'Latchkey in each mode ÷ each peer (same run)',
      header: ['target', ...modes.flatMap(([, mode]) => [`${mode}: welcome`, `${mode}: /count`])],
      rows: measured.filter(([id]) => !modes.some(([m]) => m === id))
        .map(([id, t]) => [t.label, ...modes.flatMap(([m]) => ['welcome', 'count'].map((s) => ratioCell(sc(m, s), sc(id, s))))]),
    });
  }
  const stormRows = measured.filter(([, t]) => t.scenarios.loginStorm).map(([, t]) => {
    const s = t.scenarios.loginStorm;
    if (s.error) return [t.label, 'error', '–', '–', '–', '–', '–'];
    return [t.label, fmt(s.loginsPerSec, 1), `${(s.loginsPerSec / results.bcrypt.comparesPerSec).toFixed(2)}x`, fmt(s.failures), fmt(s.welcomeP50Ms, 1), fmt(s.welcomeP99Ms, 1), fmt(s.cpuMsPerLogin)];
  });
  if (stormRows.length) tables.push({
    title: `Login storm (bcrypt cost 12): this machine's bcrypt alone does ${fmt(results.bcrypt?.comparesPerSec, 1)} compares/s on ${results.bcrypt?.concurrency} core(s)${results.pinning?.enabled ? `, CPU ${results.pinning.serverCpu} as the servers` : ''}`,
    header: ['target', 'logins/s', '÷ bcrypt', 'failed', 'welcome p50 ms', 'welcome p99 ms', 'CPU ms/login'],
    rows: stormRows,
  });
  const gcRows = measured.filter(([, t]) => Object.values(t.scenarios).some((x) => x.gc))
    .map(([id, t]) => [t.label, t.pretenuring ?? '–', ...GC_SCENARIOS.map(([s]) => gcCell(sc(id, s)))]);
  if (gcRows.length) {
    tables.push({
      title: `GC per scenario: scavenges/s · mark-compacts/s · pause % of wall time (Node servers; pretenuring: V8's allocation-site pretenuring as the server ran; CASCADE: over ${CASCADE_MARK_COMPACTS_PER_10K} mark-compact per 10,000 requests, at least ${CASCADE_MIN_MARK_COMPACTS})`,
      header: ['target', 'pretenuring', ...GC_SCENARIOS.map(([, label]) => label)],
      rows: gcRows,
    });
  }
  if (modes.length) {
    tables.push({
      title: 'Goals (issue 9 item 7; Flask from issue 5)',
      header: ['goal', 'want', 'measured', ''],
      rows: checkGoals(results).map((g) => [g.goal, g.want, g.actual ?? '–', (g.pass === null ? 'not measured' : g.pass ? 'pass' : 'FAIL')
        + (g.noisy ? ' (noisy: not comparable)' : '') + (g.cascade ? ' (promotion cascade)' : '')]),
    });
  }
  const cascades = measured.flatMap(([, t]) => Object.entries(t.scenarios)
    .filter(([, s]) => isCascade(s.gc, s.rps)).map(([name, s]) => [t.label, name, fmt(s.gc.markCompactsPerSec, 2), fmt(s.gc.scavengesPerSec, 1), `${fmt(s.gc.pausePct, 1)}%`]));
  if (cascades.length) {
    tables.push({
      title: `PROMOTION CASCADE: more than ${CASCADE_MARK_COMPACTS_PER_10K} mark-compact per 10,000 requests (at least ${CASCADE_MIN_MARK_COMPACTS}) under load (V8's allocation-site pretenuring gone wrong, issue 9); this start is slower than a healthy one`,
      header: ['target', 'scenario', 'mark-compacts/s', 'scavenges/s', 'GC pause'],
      rows: cascades,
    });
  }
  const noisy = measured.flatMap(([, t]) => Object.entries(t.scenarios)
    .filter(([, s]) => s.foreignCpuPct > NOISY_PCT).map(([name, s]) => [t.label, name, `${s.foreignCpuPct}%`]));
  if (results.bcrypt?.foreignCpuPct > NOISY_PCT) noisy.unshift(['bcrypt alone', 'capacity', `${results.bcrypt.foreignCpuPct}%`]);
  if (noisy.length) {
    tables.push({
      title: `NOT COMPARABLE: other processes used more than ${NOISY_PCT}% of a core during these measurements (median over rounds); rerun on an idle machine`,
      header: ['target', 'scenario', 'others\' CPU'],
      rows: noisy,
    });
  }
  return tables;
}

/** Aligned plain-text rendering for the terminal. */
export function tablesToText(tables) {
  return tables.map(({ title, header, rows }) => {
    const all = [header, ...rows].map((r) => r.map(String));
    const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    return [title, line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
  }).join('\n\n');
}

/** GitHub-flavoured Markdown rendering for the README. */
export function tablesToMarkdown(tables) {
  return tables.map(({ title, header, rows }) => [
    `**${title}**`, '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')).join('\n\n');
}
