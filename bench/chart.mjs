/**
 * bench/chart.svg from bench/results.json: hand-written SVG, no dependencies.
 * One group of horizontal bars per scenario (req/s, each group on its own
 * scale), the server CPU per welcome request, then logins/s in the storm
 * against the machine's bcrypt capacity.
 *
 *   node bench/chart.mjs            # reads results.json, writes chart.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COLORS = {
  latchkey: '#d9480f', 'latchkey-signed': '#f76707', 'latchkey-encrypted': '#ffa94d', 'node-http-ceiling': '#868e96', 'fastify-secure-session': '#1971c2',
  'fastify-session': '#4dabf7', 'express-session': '#2f9e44', flask: '#7048e8',
};
const GROUPS = [['welcome', 'Logged-in GET /users/welcome'], ['count', 'GET /count (session write every request)'],
  ['anonymous', 'Anonymous GET /users/login'], ['sessions1k', 'Welcome with 1,000 sessions in the store'],
  ['sessions1M', 'Welcome with 1,000,000 sessions in the store']];
const NOISY_PCT = 20; // as in lib/cpu-meter.mjs
const W = 900, LABEL = 300, BAR = 18, GAP = 6, VALUE = 170;
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (x, d = 0) => Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function barGroup(title, bars, y, unit, marker, sharedMax = 0) {
  const max = Math.max(...bars.map((b) => b.value), marker?.value ?? 0, sharedMax);
  const scale = (W - LABEL - VALUE) / max;
  let svg = `<text x="10" y="${y + 14}" class="h">${esc(title)}</text>`;
  y += 24;
  for (const b of bars) {
    const w = Math.max(1, b.value * scale);
    svg += `<text x="${LABEL - 8}" y="${y + 13}" text-anchor="end">${esc(b.label)}</text>`
      + `<rect x="${LABEL}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${b.color}"/>`
      + `<text x="${(LABEL + w + 6).toFixed(1)}" y="${y + 13}">${num(b.value, b.value < 100 ? 1 : 0)} ${unit}${b.noisy ? ' (noisy)' : ''}</text>`;
    y += BAR + GAP;
  }
  if (marker) {
    const x = (LABEL + marker.value * scale).toFixed(1);
    svg += `<line x1="${x}" y1="${y - bars.length * (BAR + GAP) - 4}" x2="${x}" y2="${y}" stroke="#000" stroke-dasharray="4 3"/>`
      + `<text x="${x}" y="${y + 12}" text-anchor="middle" class="s">${esc(marker.label)}</text>`;
    y += 16;
  }
  return { svg, y: y + 14 };
}

const bar = (id, t, value, s) => ({ label: t.label, value, color: COLORS[id] ?? '#495057', noisy: s.foreignCpuPct > NOISY_PCT });

/** The SVG document for a results.json object. */
export function renderChart(results) {
  const ok = Object.entries(results.targets).filter(([, t]) => t.status === 'ok');
  let y = 40;
  let body = '';
  // the two session-count groups share one scale, so 1k and 1M compare at a glance
  const sessionsMax = Math.max(0, ...ok.flatMap(([, t]) => [t.scenarios.sessions1k?.rps ?? 0, t.scenarios.sessions1M?.rps ?? 0]));
  for (const [key, title] of GROUPS) {
    const bars = ok.filter(([, t]) => t.scenarios[key]?.rps).map(([id, t]) => bar(id, t, t.scenarios[key].rps, t.scenarios[key]));
    if (!bars.length) continue;
    const g = barGroup(title, bars, y, 'req/s', null, key.startsWith('sessions') ? sessionsMax : 0);
    body += g.svg;
    y = g.y;
  }
  const cpu = ok.filter(([, t]) => t.scenarios.welcome?.cpuUsPerRequest).map(([id, t]) => bar(id, t, t.scenarios.welcome.cpuUsPerRequest, t.scenarios.welcome));
  if (cpu.length) {
    const g = barGroup('Server CPU per logged-in welcome request (lower is better)', cpu, y, 'µs');
    body += g.svg;
    y = g.y;
  }
  const storm = ok.filter(([, t]) => t.scenarios.loginStorm?.loginsPerSec).map(([id, t]) => bar(id, t, t.scenarios.loginStorm.loginsPerSec, t.scenarios.loginStorm));
  if (storm.length && results.bcrypt) {
    const cap = results.bcrypt.comparesPerSec;
    const g = barGroup('Login storm, bcrypt cost 12 (dashed: bcrypt alone on this machine)', storm, y, 'logins/s', { value: cap, label: `bcrypt alone ${num(cap, 1)}/s${results.bcrypt.foreignCpuPct > NOISY_PCT ? ' (noisy)' : ''}` });
    body += g.svg;
    y = g.y;
  }
  const m = results.machine;
  const pin = results.pinning?.enabled ? `servers on CPU ${results.pinning.serverCpu}, load on CPU ${results.pinning.loadCpu}` : 'unpinned';
  const subtitle = `${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.loadTool}, ${pin}; ${results.mode} run, ${results.generatedAt.slice(0, 10)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y + 10}" viewBox="0 0 ${W} ${y + 10}" font-family="system-ui, sans-serif" font-size="12">
<style>.h{font-weight:600;font-size:13px}.s{font-size:11px;fill:#495057}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" class="h" font-size="15">Latchkey bench: throughput (higher is better) and CPU per request</text>
<text x="10" y="32" class="s">${esc(subtitle)}</text>
${body}</svg>
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL('.', import.meta.url);
  const results = JSON.parse(readFileSync(new URL('results.json', dir), 'utf8'));
  writeFileSync(new URL('chart.svg', dir), renderChart(results));
  console.log('wrote bench/chart.svg');
}
