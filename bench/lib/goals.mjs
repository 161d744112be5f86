/** Issue 5's goals, checked on ratios measured in the same run. */
import { NOISY_PCT } from './cpu-meter.mjs';

const scenario = (results, target, name) => results.targets[target]?.scenarios?.[name];
const ratio = (a, b) => (a && b ? a / b : null);

/**
 * Each goal as { goal, want, actual, pass, noisy } — pass null when a side is
 * missing, noisy when other processes took over NOISY_PCT of a core during an input.
 */
export function checkGoals(results) {
  const lk = (name) => scenario(results, 'latchkey', name);
  const vs = (name, peer) => [ratio(lk(name)?.rps, scenario(results, peer, name)?.rps), [lk(name), scenario(results, peer, name)]];
  const storm = lk('loginStorm');
  const rows = [
    ['welcome ÷ node:http ceiling', 0.5, ...vs('welcome', 'node-http-ceiling')],
    ['welcome ÷ Fastify + secure-session', 1.0, ...vs('welcome', 'fastify-secure-session')],
    ['welcome ÷ Express + express-session', 4.0, ...vs('welcome', 'express-session')],
    ['welcome ÷ Flask', 30, ...vs('welcome', 'flask')],
    ['/count ÷ node:http ceiling', 0.35, ...vs('count', 'node-http-ceiling')],
    ['login storm logins/s ÷ bcrypt capacity', 0.9, ratio(storm?.loginsPerSec, results.bcrypt?.comparesPerSec), [storm, results.bcrypt]],
    ['welcome p99 during storm (ms)', '< 20', storm?.welcomeP99Ms ?? null, [storm]],
    ['welcome 1M sessions ÷ 1k sessions', 0.8, ratio(lk('sessions1M')?.rps, lk('sessions1k')?.rps), [lk('sessions1M'), lk('sessions1k')]],
  ];
  return rows.map(([goal, want, actual, inputs]) => ({
    goal,
    want: typeof want === 'number' ? `>= ${want}` : want,
    actual: actual === null ? null : Math.round(actual * 100) / 100,
    pass: actual === null ? null : typeof want === 'number' ? actual >= want : actual < 20,
    noisy: inputs.some((s) => s?.foreignCpuPct > NOISY_PCT),
  }));
}
