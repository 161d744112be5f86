import type { Command } from 'commander';
import { sql, type Kysely } from 'kysely';
import { redactUrl } from '../config.js';
import { pendingMigrations } from '../db/migrations.js';
import { DEADLINE_MS, type CliContext, type CliServices } from './cli-context.js';
import { CliError, withDeadline } from './cli-error.js';
import { printJson } from './output.js';
import type { RegisterCommands } from './command-group.js';

interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  /** What to do about it, when not ok. */
  fix?: string;
}

/**
 * `latchkey doctor`: checks the configuration, the secrets' strength, the database and its
 * migrations, the session store and Redis, changes nothing, and says what to fix. Exits 0 only
 * when all is well.
 */
const doctorCommand: RegisterCommands = (program: Command, cli: CliContext) => {
  program
    .command('doctor')
    .description('check configuration, secrets, database, migrations and Redis; exit 0 only when all is well')
    .option('--json', 'print the findings as JSON')
    .action(async (options: { json?: boolean }) => {
      const findings: Finding[] = [];
      let config;
      try {
        config = cli.config();
        findings.push({ check: 'configuration', ok: true, detail: `${config.env}, ${config.sessionMode} sessions, listening on ${config.host}:${config.port}` });
      } catch (error) {
        findings.push({ check: 'configuration', ok: false, detail: (error as Error).message, fix: 'set the variable it names (environment or .env)' });
      }
      if (config) {
        findings.push(...secretFindings(config.secretKeys, process.env.SECRET_KEYS === undefined || process.env.SECRET_KEYS === '', config.env));
        if (config.env === 'production' && config.bcryptRounds < 12) {
          findings.push({ check: 'password hashing', ok: false, detail: `BCRYPT_ROUNDS=${config.bcryptRounds}`, fix: 'use 12 or more in production' });
        }
        findings.push(...(await serviceFindings(cli).catch((error: unknown) => [{ check: 'database', ok: false, detail: (error as Error).message, fix: 'check DATABASE_URL and that the database is up' }])));
      }
      report(findings, Boolean(options.json));
      if (findings.some((finding) => !finding.ok)) throw new CliError(`${findings.filter((finding) => !finding.ok).length} problem(s) found`);
    });
};

/** Each secret key: long enough, not repeated, and not something a person typed (few distinct characters, a word). */
export function secretFindings(keys: readonly string[], generated: boolean, env: string): Finding[] {
  if (generated) {
    return [{ check: 'secrets', ok: env !== 'production', detail: 'a development key generated into DATA_DIR', fix: 'set SECRET_KEYS (latchkey keys generate)' }];
  }
  const findings: Finding[] = [];
  if (new Set(keys).size !== keys.length) findings.push({ check: 'secrets', ok: false, detail: 'a key appears twice in SECRET_KEYS', fix: 'list each key once' });
  keys.forEach((key, index) => {
    const weakness = keyWeakness(key);
    findings.push(
      weakness
        ? { check: `secret ${index + 1}`, ok: false, detail: weakness, fix: 'replace it with `latchkey keys generate`, keeping the old one after it until sessions have moved over' }
        : { check: `secret ${index + 1}`, ok: true, detail: `${Buffer.byteLength(key)} bytes, looks random` },
    );
  });
  return findings;
}

function keyWeakness(key: string): string | null {
  const distinct = new Set(key).size;
  if (distinct < 12) return `only ${distinct} different characters: not random`;
  if (/(.{3,})\1{2,}/.test(key)) return 'a pattern repeats in it: not random';
  if (/password|secret|changeme|latchkey|example|test/i.test(key)) return 'it contains a word: not random';
  // hex keys carry 4 bits a character, base64 6: 128 bits is the least worth having
  const bitsPerChar = /^[0-9a-f]+$/i.test(key) ? 4 : /^[A-Za-z0-9+/_=-]+$/.test(key) ? 6 : 5;
  if (key.length * bitsPerChar < 128) return `about ${key.length * bitsPerChar} bits: too little`;
  return null;
}

async function serviceFindings(cli: CliContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const app: CliServices = await cli.open({ migrate: false });
  const { config, database } = app;
  await withDeadline(sql`select 1`.execute(database.db), DEADLINE_MS, 'the database');
  findings.push({ check: 'database', ok: true, detail: `${database.dialect} at ${redactUrl(config.databaseUrl)}` });
  const pending = await pendingMigrations(database.db as Kysely<unknown>, database.dialect);
  findings.push(
    pending.length === 0
      ? { check: 'migrations', ok: true, detail: 'up to date' }
      : { check: 'migrations', ok: false, detail: `${pending.length} pending: ${pending.join(', ')}`, fix: 'run `latchkey db migrate` (the server also migrates when it starts)' },
  );
  try {
    await withDeadline(app.store.listUser(0, Date.now()), DEADLINE_MS, 'the session store');
    findings.push({ check: 'session store', ok: true, detail: app.redis ? 'Redis' : `the ${database.dialect} database` });
  } catch (error) {
    findings.push({ check: 'session store', ok: false, detail: (error as Error).message, fix: 'run `latchkey db migrate`, or check REDIS_URL' });
  }
  if (app.redis) {
    const pong = await withDeadline(app.redis.ping(), DEADLINE_MS, 'Redis').catch((error: unknown) => (error as Error).message);
    findings.push(pong === 'PONG' ? { check: 'redis', ok: true, detail: redactUrl(config.redisUrl!) } : { check: 'redis', ok: false, detail: pong, fix: 'check REDIS_URL and that Redis is up' });
  } else {
    findings.push({ check: 'redis', ok: true, detail: 'not used (REDIS_URL unset): sessions and throttling live in the database' });
  }
  return findings;
}

function report(findings: Finding[], json: boolean): void {
  if (json) return printJson(findings);
  for (const { check, ok, detail, fix } of findings) {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${check}: ${detail}`);
    if (!ok && fix) console.log(`      fix: ${fix}`);
  }
}

export default doctorCommand;
