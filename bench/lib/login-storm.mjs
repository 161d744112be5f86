/**
 * The login storm: `concurrency` loops each GET the login form and POST correct
 * credentials (one bcrypt compare per login), round-robin over a few accounts,
 * for a bounded time and count. Meanwhile a low-rate probe fetches the welcome
 * page with an already logged-in cookie; its p99 is how long a cheap request
 * waits while bcrypt keeps every core busy — an outside view of event-loop delay.
 */
import { logIn, send } from './auth-flow.mjs';
import { percentile, median, round } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function probeLoop(base, jar, deadline, intervalMs, maxProbes) {
  const latencies = [];
  let failures = 0;
  while (performance.now() < deadline && latencies.length + failures < maxProbes) {
    const next = performance.now() + intervalMs;
    try {
      const r = await send(base, '/users/welcome', jar);
      if (r.status === 200) latencies.push(r.ms); else failures += 1;
    } catch { failures += 1; }
    await sleep(Math.max(0, next - performance.now()));
  }
  return { latencies, failures };
}

/**
 * `users`: accounts that exist on the target; `probeJar`: a logged-in jar.
 * Returns logins/s, failure count and the probe's p50/p99.
 */
export async function loginStorm(base, { users, probeJar, seconds, concurrency = 8, probeIntervalMs = 20 }) {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const maxLogins = 20_000;
  let logins = 0;
  let failures = 0;
  const failureSamples = new Set();
  const stormLoop = async (worker) => {
    for (let i = worker; performance.now() < deadline && logins + failures < maxLogins; i += concurrency) {
      try {
        const { result } = await logIn(base, users[i % users.length]);
        if ((result.status === 302 || result.status === 303) && result.location.includes('/users/welcome')) logins += 1;
        else { failures += 1; failureSamples.add(`status ${result.status}`); }
      } catch (err) { failures += 1; failureSamples.add(err.message); }
    }
  };
  const probe = probeLoop(base, probeJar, deadline, probeIntervalMs, Math.ceil((seconds * 1000) / probeIntervalMs) + 10);
  await Promise.all(Array.from({ length: concurrency }, (_, w) => stormLoop(w)));
  const elapsed = (performance.now() - started) / 1000;
  const { latencies, failures: probeFailures } = await probe;
  return {
    seconds: round(elapsed),
    concurrency,
    logins,
    failures,
    failureSamples: [...failureSamples].slice(0, 3),
    loginsPerSec: round(logins / elapsed),
    welcomeProbes: latencies.length,
    welcomeProbeFailures: probeFailures,
    welcomeP50Ms: round(median(latencies)),
    welcomeP99Ms: round(percentile(latencies, 99)),
  };
}
