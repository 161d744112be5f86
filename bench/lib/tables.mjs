/**
 * The report's tables, built once from results.json and rendered either as
 * aligned text (the terminal) or as Markdown (bench/README.md).
 */
import { checkGoals } from './goals.mjs';
import { NOISY_PCT } from './cpu-meter.mjs';

const LOAD_SCENARIOS = [['welcome', 'welcome'], ['count', '/count'], ['anonymous', 'anonymous'], ['sessions1k', 'welcome, 1k sessions'], ['sessions1M', 'welcome, 1M sessions']];
const fmt = (x, digits = 0) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const noisyMark = (s) => (s.foreignCpuPct > NOISY_PCT ? ' *' : '');
const cell = (s) => (!s ? '–' : s.error ? 'error' : `${fmt(s.rps)} (${fmt(s.p99Ms, 1)})${noisyMark(s)}`);
const ratioCell = (a, b) => (a?.rps && b?.rps ? `${(a.rps / b.rps).toFixed(2)}x` : '–');

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
  const ceiling = results.targets['node-http-ceiling']?.status === 'ok' ? 'node-http-ceiling' : null;
  if (ceiling) {
    tables.push({
      title: 'Ratio to the node:http ceiling (same run)',
      header: ['target', 'welcome', '/count', 'anonymous'],
      rows: measured.map(([id, t]) => [t.label, ...['welcome', 'count', 'anonymous'].map((s) => ratioCell(sc(id, s), sc(ceiling, s)))]),
    });
  }
  if (results.targets.latchkey?.status === 'ok') {
    tables.push({
      title: 'Latchkey ÷ each target (same run)',
      header: ['target', 'welcome', '/count', 'anonymous'],
      rows: measured.filter(([id]) => id !== 'latchkey').map(([id, t]) => [t.label, ...['welcome', 'count', 'anonymous'].map((s) => ratioCell(sc('latchkey', s), sc(id, s)))]),
    });
  }
  const stormRows = measured.filter(([, t]) => t.scenarios.loginStorm).map(([, t]) => {
    const s = t.scenarios.loginStorm;
    if (s.error) return [t.label, 'error', '–', '–', '–', '–'];
    return [t.label, fmt(s.loginsPerSec, 1), `${(s.loginsPerSec / results.bcrypt.comparesPerSec).toFixed(2)}x`, fmt(s.failures), fmt(s.welcomeP50Ms, 1), fmt(s.welcomeP99Ms, 1)];
  });
  if (stormRows.length) tables.push({
    title: `Login storm (bcrypt cost 12): this machine's bcrypt alone does ${fmt(results.bcrypt?.comparesPerSec, 1)} compares/s on ${results.bcrypt?.concurrency} cores`,
    header: ['target', 'logins/s', '÷ bcrypt', 'failed', 'welcome p50 ms', 'welcome p99 ms'],
    rows: stormRows,
  });
  if (results.targets.latchkey?.status === 'ok') {
    tables.push({
      title: 'Goals (issue 5)',
      header: ['goal', 'want', 'measured', ''],
      rows: checkGoals(results).map((g) => [g.goal, g.want, g.actual ?? '–', (g.pass === null ? 'not measured' : g.pass ? 'pass' : 'FAIL') + (g.noisy ? ' (noisy: not comparable)' : '')]),
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
