/** Issue 9 item 7's goals (and issue 5's that still stand), checked on ratios measured in the same run. */
import { NOISY_PCT } from './cpu-meter.mjs';
import { isCascade } from './gc-stats.mjs';

const scenario = (results, target, name) => results.targets[target]?.scenarios?.[name];
const ratio = (a, b) => (a && b ? a / b : null);

export const LATCHKEY_MODES = [['latchkey', 'server mode'], ['latchkey-signed', 'signed mode'], ['latchkey-encrypted', 'encrypted mode']];

/**
 * Each goal as { goal, want, actual, pass, noisy, cascade } — pass null when a
 * side is missing, noisy when other processes took over NOISY_PCT of a core
 * during an input, cascade when a Latchkey input ran in a promotion cascade.
 */
export function checkGoals(results) {
  const sc = (target, name) => scenario(results, target, name);
  const vs = (target, name, peer) => [ratio(sc(target, name)?.rps, sc(peer, name)?.rps), [sc(target, name), sc(peer, name)]];
  const storm = sc('latchkey', 'loginStorm');
  const rows = [
    ...LATCHKEY_MODES.filter(([id]) => results.targets[id])
      .map(([id, mode]) => [`${mode} welcome ÷ Fastify + secure-session`, 1.0, ...vs(id, 'welcome', 'fastify-secure-session')]),
    ['server mode welcome ÷ node:http ceiling', 0.5, ...vs('latchkey', 'welcome', 'node-http-ceiling')],
    ['server mode welcome ÷ Express + express-session', 4.0, ...vs('latchkey', 'welcome', 'express-session')],
    ['server mode /count ÷ node:http ceiling', 0.35, ...vs('latchkey', 'count', 'node-http-ceiling')],
    ['login storm logins/s ÷ bcrypt capacity', 0.9, ratio(storm?.loginsPerSec, results.bcrypt?.comparesPerSec), [storm, results.bcrypt]],
    ['welcome p99 during storm (ms)', '< 20', storm?.welcomeP99Ms ?? null, [storm]],
    ['welcome 1M sessions ÷ 1k sessions', 0.8, ratio(sc('latchkey', 'sessions1M')?.rps, sc('latchkey', 'sessions1k')?.rps), [sc('latchkey', 'sessions1M'), sc('latchkey', 'sessions1k')]],
    ['server mode welcome ÷ Flask (issue 5)', 30, ...vs('latchkey', 'welcome', 'flask')],
  ];
  return rows.map(([goal, want, actual, inputs]) => ({
    goal,
    want: typeof want === 'number' ? `>= ${want}` : want,
    actual: actual === null ? null : Math.round(actual * 100) / 100,
    pass: actual === null ? null : typeof want === 'number' ? actual >= want : actual < 20,
    noisy: inputs.some((s) => s?.foreignCpuPct > NOISY_PCT),
    cascade: inputs.some((s) => isCascade(s?.gc, s?.rps)),
  }));
}
