// first: V8 flags must be set before the app allocates (see v8-flags.ts)
import './v8-flags.js';
import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let config;
let app;
try {
  config = loadConfig();
  app = await buildApp(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Latchkey cannot start: ${error.message}`);
  process.exit(1);
}

/** Closing the stores after the last request gets this long; past it the process exits anyway. */
const CLOSE_MARGIN_MS = 2000;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    const { shutdownTimeoutMs } = config;
    app.log.info(`${signal}: no new connections; finishing requests already received (at most ${shutdownTimeoutMs / 1000} s)`);
    // the last resort: a store that hangs while closing must not keep the process alive
    setTimeout(() => {
      app.log.error('shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, shutdownTimeoutMs + CLOSE_MARGIN_MS).unref();
    app.shutdown({ timeoutMs: shutdownTimeoutMs }).then(
      ({ dropped }) => {
        if (dropped > 0) app.log.warn(`stopped; ${dropped} connections were still busy at the deadline and were closed`);
        else app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.port, host: config.host });
