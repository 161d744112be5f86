/**
 * Runs every scenario against one target: start it once for welcome, /count,
 * anonymous and the login storm, then restart it per session count. A failing
 * scenario is recorded with its error and the others still run.
 */
import { startTarget } from './server.mjs';
import { loggedInUser, welcomeScenario, countScenario, anonymousScenario, stormScenario } from './scenarios.mjs';
import { sessionCountScenarios, sessionCountSkipReason } from './session-count.mjs';
import { isCascade } from './gc-stats.mjs';

const show = (name, r) => (r.error ? `FAILED: ${r.error}`
  : r.loginsPerSec !== undefined
    ? `${r.loginsPerSec} logins/s (${r.failures} failed), welcome p99 ${r.welcomeP99Ms} ms over ${r.welcomeProbes} probes, ${r.cpuMsPerLogin} ms CPU/login${cpu(r)}${gc(r)}`
    : `${r.rps} req/s, p99 ${r.p99Ms} ms, ${r.cpuUsPerRequest} µs CPU/req, ${r.bytesPerRequest} B/response${r.errors ? `, ${r.errors} ERRORS` : ''}${cpu(r)}${gc(r)}`);
const cpu = (r) => `; cpu: server ${r.serverCpuPct}%, others ${r.foreignCpuPct}%${r.noisyRounds ? ` (${r.noisyRounds} noisy rounds retried)` : ''}`;
const gc = (r) => (r.gc ? `; gc: ${r.gc.scavengesPerSec} scavenges/s, ${r.gc.markCompactsPerSec} mark-compacts/s, ${r.gc.pausePct}% paused${isCascade(r.gc, r.rps) ? ' — PROMOTION CASCADE?' : ''}` : '');

async function attempt(scenarios, name, log, fn) {
  const t0 = Date.now();
  try {
    scenarios[name] = await fn();
  } catch (err) {
    scenarios[name] = { error: err.message.split('\n')[0] };
  }
  log(`  ${name.padEnd(12)} ${show(name, scenarios[name])} [${((Date.now() - t0) / 1000).toFixed(1)}s]`);
}

/** Returns { status, label, pageBytes, scenarios } for `target`. */
export async function runTarget(target, ctx, log) {
  const scenarios = {};
  const server = await startTarget(target, { tmpRoot: ctx.tmpRoot, pageBytes: ctx.pageBytes });
  let pageBytes = null;
  log(`  started: ${server.startedWith}`);
  try {
    const session = await loggedInUser(server.base, 'main', { fixedPage: !target.auth });
    pageBytes = session.pageBytes;
    log(`  logged in as ${session.user.username}; welcome page ${pageBytes} bytes`);
    await attempt(scenarios, 'welcome', log, () => welcomeScenario(ctx, server, session));
    await attempt(scenarios, 'count', log, () => countScenario(ctx, server, session));
    await attempt(scenarios, 'anonymous', log, () => anonymousScenario(ctx, server));
    if (target.storm ?? target.auth) await attempt(scenarios, 'loginStorm', log, () => stormScenario(ctx, server, session));
  } finally {
    await server.stop();
  }
  const skipSessions = ctx.sessionTargets.includes(target.id) ? sessionCountSkipReason(target) : 'not in this run';
  if (skipSessions) {
    if (target.seed) log(`  sessions     skipped: ${skipSessions}`);
  } else {
    Object.assign(scenarios, await sessionCountScenarios(target, ctx, log));
  }
  return { status: 'ok', label: target.label, pageBytes, startedWith: server.startedWith, pretenuring: scenarios.welcome?.gc?.pretenuring ?? null, scenarios };
}
