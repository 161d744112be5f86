/**
 * The scenarios run against one started target: logged-in welcome, /count
 * (a session write per request), the anonymous login page, and the login storm.
 * Each checks with one real request before and after the load that it measures
 * what it claims (still logged in, counter still set), so a lost session
 * cannot pass for a fast page.
 */
import { send, signUp, benchUser } from './auth-flow.mjs';
import { measure } from './load.mjs';
import { loginStorm } from './login-storm.mjs';
import { startCpuMeter, waitForQuiet, NOISY_PCT } from './cpu-meter.mjs';
import { gcRates } from './gc-stats.mjs';
import { round } from './stats.mjs';

async function expectWelcome(base, jar, user) {
  const r = await send(base, '/users/welcome', jar);
  // the ceiling serves one fixed page to everyone (user.fixedPage): only the status can be checked
  if (r.status !== 200 || !(user.fixedPage || r.text.includes(user.username))) {
    throw new Error(`GET /users/welcome answered ${r.status} without the username: not logged in`);
  }
  return Buffer.byteLength(r.text);
}

async function expectCount(base, jar) {
  const r = await send(base, '/count', jar);
  if (r.status !== 200 || !/^\s*\d+\s*$/.test(r.text)) throw new Error(`GET /count answered ${r.status} "${r.text.slice(0, 40)}"`);
}

const cookieHeaders = (jar) => (jar.size() ? { Cookie: jar.header() } : {});

/** Signs a fresh user up and returns { user, jar, pageBytes } after one real welcome page. */
export async function loggedInUser(base, tag, { fixedPage = false } = {}) {
  const user = { ...benchUser(tag), fixedPage };
  const jar = await signUp(base, user);
  const pageBytes = await expectWelcome(base, jar, user); // also consumes the "User Created!" flash
  return { user, jar, pageBytes };
}

/** Logged-in GET /users/welcome under load. */
export async function welcomeScenario(ctx, server, { user, jar }, plan = ctx.plan) {
  const result = await measure(ctx.tool, `${server.base}/users/welcome`, cookieHeaders(jar), plan, server);
  await expectWelcome(server.base, jar, user);
  return result;
}

/** GET /count under load after GET /start_counter: every request writes the session. */
export async function countScenario(ctx, server, { jar }) {
  const start = await send(server.base, '/start_counter', jar);
  if (start.status !== 200) throw new Error(`GET /start_counter answered ${start.status}`);
  await expectCount(server.base, jar);
  const result = await measure(ctx.tool, `${server.base}/count`, cookieHeaders(jar), ctx.plan, server);
  await expectCount(server.base, jar);
  return result;
}

/** GET /users/login without a cookie. */
export async function anonymousScenario(ctx, server) {
  const r = await fetch(`${server.base}/users/login`, { signal: AbortSignal.timeout(10_000) });
  if (r.status !== 200) throw new Error(`GET /users/login answered ${r.status}`);
  await r.arrayBuffer();
  return measure(ctx.tool, `${server.base}/users/login`, {}, ctx.plan, server);
}

/** Concurrent correct logins over a few accounts, with the welcome page probed meanwhile. */
export async function stormScenario(ctx, server, { jar }) {
  const users = [];
  for (let i = 0; i < ctx.storm.accounts; i += 2) {
    const batch = [benchUser(`storm${i}`), benchUser(`storm${i + 1}`)];
    await Promise.all(batch.map((u) => signUp(server.base, u)));
    users.push(...batch);
  }
  let quietest = null;
  for (let attempt = 1; attempt <= 2; attempt++) { // a storm on a busy machine gets one more try
    if (attempt > 1) await waitForQuiet(ctx.quietWaitSec, () => {});
    const meter = startCpuMeter(server.pgrp);
    const gc0 = await server.gc();
    const result = await loginStorm(server.base, { users, probeJar: jar, seconds: ctx.storm.seconds, concurrency: ctx.storm.concurrency });
    const gc = gcRates(gc0, await server.gc());
    const cpu = meter.stop();
    const run = { ...result, ...cpu, cpuMsPerLogin: result.logins ? round(cpu.serverCpuMs / result.logins) : null, gc, attempts: attempt };
    if (!quietest || run.foreignCpuPct < quietest.foreignCpuPct) quietest = run;
    if (run.foreignCpuPct <= NOISY_PCT) break;
  }
  return quietest;
}
