/**
 * The bench driver: `npm run bench` (full, under ~15 min) or
 * `npm run bench -- --quick` (about two minutes). Starts Latchkey and each
 * peer on 127.0.0.1, signs up through its forms, drives it with wrk (or
 * autocannon), writes bench/results.json, bench/chart.svg and the README table.
 *
 * Options: --quick, --only=id,id, --skip=id,id, --tool=wrk|autocannon,
 *          --no-build, --sessions=id,id (targets for the 1k/1M-session scenario),
 *          --pin=no (no taskset: servers and load generator share the cores)
 */
import { writeFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TARGETS, REPO } from './lib/targets.mjs';
import { pickLoadTool, loadToolVersion } from './lib/load.mjs';
import { bcryptCapacity } from './lib/bcrypt-capacity.mjs';
import { describeMachine } from './lib/machine.mjs';
import { runTarget } from './lib/run-target.mjs';
import { runCommand, killAllChildren } from './lib/children.mjs';
import { writeReport } from './report.mjs';
import { buildTables, tablesToText } from './lib/tables.mjs';
import { waitForQuiet } from './lib/cpu-meter.mjs';
import { configurePinning, pinSelf } from './lib/pinning.mjs';

const PLANS = {
  quick: {
    plan: { warmupSec: 1, rounds: 3, roundSec: 1, connections: 32, threads: 1 },
    sessionsPlan: { warmupSec: 1, rounds: 3, roundSec: 1, connections: 32, threads: 1 },
    storm: { seconds: 3, concurrency: 8, accounts: 4 },
    bcryptSeconds: 3,
    sessionTargets: ['latchkey'],
    watchdogMin: 12,
    quietWaitSec: 10,
  },
  full: {
    plan: { warmupSec: 2, rounds: 5, roundSec: 4, connections: 32, threads: 1 },
    sessionsPlan: { warmupSec: 2, rounds: 3, roundSec: 4, connections: 32, threads: 1 },
    storm: { seconds: 10, concurrency: 8, accounts: 4 },
    bcryptSeconds: 6,
    sessionTargets: ['latchkey', 'fastify-session', 'express-session'],
    watchdogMin: 30,
    quietWaitSec: 60,
  },
};

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const list = (name) => option(name)?.split(',').filter(Boolean);
const log = (line) => console.log(line);

const mode = flag('quick') ? 'quick' : 'full';
const partial = Boolean(option('only') || option('skip') || option('sessions'));
const config = PLANS[mode];
const unknown = [...(list('only') ?? []), ...(list('skip') ?? []), ...(list('sessions') ?? [])].filter((id) => !TARGETS.some((t) => t.id === id));
if (unknown.length) {
  console.error(`bench: unknown target ${unknown.join(', ')}; targets are ${TARGETS.map((t) => t.id).join(', ')}`);
  process.exit(2);
}
const selected = TARGETS.filter((t) => (!list('only') || list('only').includes(t.id)) && !(list('skip') ?? []).includes(t.id));

const watchdog = setTimeout(() => {
  console.error(`bench: watchdog — still running after ${config.watchdogMin} minutes, stopping everything`);
  process.exit(2);
}, config.watchdogMin * 60_000);
watchdog.unref();

const tmpRoot = join(REPO, 'bench', '.tmp', `run-${process.pid}`);
mkdirSync(tmpRoot, { recursive: true });
process.on('exit', () => { killAllChildren(); rmSync(tmpRoot, { recursive: true, force: true }); });

async function buildLatchkey() {
  if (!selected.some((t) => t.latchkey) || flag('no-build')) return;
  if (!existsSync(join(REPO, 'src', 'server.ts'))) return;
  log('building Latchkey (npm run build)…');
  const { code, output } = await runCommand('npm', ['run', 'build'], { cwd: REPO, env: process.env, timeoutMs: 300_000 });
  if (code !== 0) log(`NOTICE: npm run build failed (exit ${code}); using whatever dist/ holds\n${output.slice(-1500)}`);
}

async function main() {
  const tool = pickLoadTool(option('tool'));
  if (tool === 'autocannon' && !option('tool')) log('NOTICE: wrk is not installed (apt-get install -y wrk); falling back to autocannon');
  await buildLatchkey();
  const machine = describeMachine(loadToolVersion(tool));
  log(`${mode} run on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.loadTool}`);

  const pinning = configurePinning({ disabled: option('pin') === 'no' });
  log(pinning.enabled ? `pinned: servers on CPU ${pinning.serverCpu}, the load generator and the driver on CPU ${pinning.loadCpu}` : `NOTICE: ${pinning.notice}`);

  // bcrypt's capacity on the cores a server gets: CPU 0 alone when pinned, the whole machine when not
  const bcryptCores = pinning.enabled ? 1 : machine.cores;
  log(`bcrypt alone, cost 12, ${bcryptCores} compare(s) in flight for ${config.bcryptSeconds}s${pinning.enabled ? ` on CPU ${pinning.serverCpu}` : ''}…`);
  await waitForQuiet(config.quietWaitSec, log);
  pinSelf('server');
  const bcrypt = await bcryptCapacity({ cost: 12, seconds: config.bcryptSeconds, concurrency: bcryptCores });
  if (pinning.enabled && !pinSelf('load')) log('NOTICE: could not move the driver to the load CPU');
  log(`  ${bcrypt.comparesPerSec} compares/s (other processes: ${bcrypt.foreignCpuPct}% of a core)`);

  const ctx = { tool, quietWaitSec: config.quietWaitSec, plan: config.plan, sessionsPlan: config.sessionsPlan, storm: config.storm, tmpRoot, pageBytes: 2048, sessionTargets: list('sessions') ?? config.sessionTargets };
  const results = { generatedAt: new Date().toISOString(), mode, machine, pinning, plan: config.plan, sessionsPlan: config.sessionsPlan, storm: config.storm, bcrypt, targets: {} };

  for (const target of selected) {
    const { ok, notice } = target.available();
    if (!ok) {
      log(`\nNOTICE: skipping ${target.label}: ${notice}`);
      results.targets[target.id] = { status: 'skipped', label: target.label, notice };
      continue;
    }
    log(`\n${target.label}`);
    try {
      const busyBeforePct = await waitForQuiet(config.quietWaitSec, log);
      results.targets[target.id] = { ...(await runTarget(target, ctx, log)), busyBeforePct };
      // the peers pad their pages to the size of Latchkey's first measured welcome page
      if (target.latchkey && ctx.pageBytes === 2048 && results.targets[target.id].pageBytes) ctx.pageBytes = results.targets[target.id].pageBytes;
    } catch (err) {
      log(`  FAILED: ${err.message}`);
      results.targets[target.id] = { status: 'failed', label: target.label, notice: err.message.split('\n')[0] };
    }
  }

  if (partial) {
    // a run of some targets only must not replace the report of a whole run
    writeFileSync(join(REPO, 'bench', '.tmp', 'results.partial.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`\n${tablesToText(buildTables(results))}\n\nwrote bench/.tmp/results.partial.json (--only/--skip/--sessions: the report is left alone)`);
    return;
  }
  writeFileSync(join(REPO, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`\n${writeReport(results)}\n\nwrote bench/results.json, bench/chart.svg and the Results section of bench/README.md`);
}

main().then(() => process.exit(0), (err) => {
  console.error(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
