#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { createCliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { FlaskSourceError } from './flask-source.js';
import { createProgram } from './program.js';

/**
 * The `latchkey` command (bin/latchkey.mjs runs this). What a person can fix is one line on
 * stderr naming it and exit code 1; anything else is a bug, printed with its stack, exit 70.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const cli = createCliContext();
try {
  await createProgram(cli).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof FlaskSourceError) {
    process.stderr.write(`latchkey: ${error.message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  } else if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    console.error(error);
    process.exitCode = 70;
  }
} finally {
  await cli.close();
}
