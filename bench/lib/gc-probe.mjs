/**
 * Preloaded into every Node server of the bench (`node --import <this file> …`):
 * counts garbage collections by kind with a PerformanceObserver and writes the
 * counters as JSON to the file named by GC_PROBE_FILE — every second on an
 * unref'd timer, and at once on SIGUSR2, which the driver sends before and
 * after each scenario. The cost is one entry per GC, nothing per request.
 *
 * It also records whether V8's allocation-site pretenuring is off: from the
 * command line (execArgv, NODE_OPTIONS) or set at boot through
 * `v8.setFlagsFromString` (wrapped here, since V8 has no API to read a flag).
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { writeFileSync, renameSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const file = process.env.GC_PROBE_FILE;
if (file) {
  const KINDS = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenges',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'markCompacts',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakCallbacks',
  };
  const counts = { scavenges: 0, markCompacts: 0, incremental: 0, weakCallbacks: 0, pauseMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = KINDS[entry.detail?.kind ?? entry.kind];
      if (kind) counts[kind] += 1;
      counts.pauseMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });

  // flags the process sets itself at boot: the only way to see them is to be there when they are set
  const flagsSetAtRuntime = [];
  const v8 = createRequire(import.meta.url)('node:v8');
  const setFlags = v8.setFlagsFromString;
  v8.setFlagsFromString = function setFlagsFromString(flags) {
    flagsSetAtRuntime.push(String(flags));
    return setFlags.call(this, flags);
  };
  syncBuiltinESMExports(); // so `import { setFlagsFromString } from 'node:v8'` gets the wrapper too
  const startFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter(Boolean);
  const pretenuringOff = (flags) => flags.some((f) => /--no-allocation-site-pretenuring\b/.test(f));

  let seq = 0;
  const write = () => {
    const state = {
      pid: process.pid,
      seq: ++seq,
      uptimeMs: Math.round(performance.now()),
      ...counts,
      pauseMs: Math.round(counts.pauseMs * 1000) / 1000,
      flagsSetAtRuntime,
      startFlags,
      pretenuring: pretenuringOff([...startFlags, ...flagsSetAtRuntime]) ? 'off' : 'on',
    };
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(state));
      renameSync(`${file}.tmp`, file);
    } catch { /* the data directory is gone: the bench is over */ }
  };
  setInterval(write, 1000).unref();
  process.on('SIGUSR2', write);
  write();
}
