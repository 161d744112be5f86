#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { CliError } from './cli-error.js';
import { FlaskSourceError } from './flask-source.js';
import { createProgram } from './program.js';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  // what a person can fix is one line naming it; anything else is a bug and keeps its stack
  if (!(error instanceof ConfigError || error instanceof FlaskSourceError || error instanceof CliError)) throw error;
  process.stderr.write(`latchkey: ${error.message}\n`);
  process.exitCode = 1;
}
