import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const SESSION_MODES = ['server', 'signed'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Newest first: the first signs, all verify. */
  secretKeys: string[];
  sessionMode: SessionMode;
  bcryptRounds: number;
  /** A session unused this long ends (ASVS 3.3.2, level 2: 30 minutes). */
  sessionIdleMs: number;
  /** A session ends this long after login however busy (ASVS 3.3.2, level 2: 12 hours). */
  sessionAbsoluteMs: number;
  /** Cookies get `Secure` (and the `__Host-` prefix) when true. */
  secureCookies: boolean;
  logLevel: string;
}

/** Thrown at boot when the environment cannot make a working app; the message says what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIN_SECRET_BYTES = 32;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  SECRET_KEYS: z.string().optional(),
  SESSION_MODE: z.enum(SESSION_MODES).default('server'),
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(16).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(60 * 24 * 30).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().max(24 * 365).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

/**
 * Reads the environment into a typed config, or throws a ConfigError naming the variable to fix.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blank = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(blank);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const vars = parsed.data;
  const production = vars.NODE_ENV === 'production';
  const dataDir = resolve(vars.DATA_DIR);
  if (production && vars.BCRYPT_ROUNDS < 10) {
    throw new ConfigError('BCRYPT_ROUNDS: must be at least 10 in production (12 is the default)');
  }
  return {
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    dataDir,
    databaseUrl: vars.DATABASE_URL ?? `sqlite:${join(dataDir, 'latchkey.db')}`,
    redisUrl: vars.REDIS_URL,
    secretKeys: readSecretKeys(vars.SECRET_KEYS, production, dataDir),
    sessionMode: vars.SESSION_MODE,
    bcryptRounds: vars.BCRYPT_ROUNDS,
    sessionIdleMs: vars.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: vars.SESSION_ABSOLUTE_HOURS * 3_600_000,
    secureCookies: production,
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}

function readSecretKeys(raw: string | undefined, production: boolean, dataDir: string): string[] {
  if (raw === undefined) {
    if (production) {
      throw new ConfigError('SECRET_KEYS: required in production (comma-separated, at least 32 bytes each; try `openssl rand -hex 32`)');
    }
    return [developmentKey(dataDir)];
  }
  const keys = raw.split(',').map((key) => key.trim()).filter((key) => key.length > 0);
  if (keys.length === 0) throw new ConfigError('SECRET_KEYS: no key given');
  keys.forEach((key, index) => {
    if (Buffer.byteLength(key) < MIN_SECRET_BYTES) {
      throw new ConfigError(`SECRET_KEYS: key ${index + 1} is shorter than ${MIN_SECRET_BYTES} bytes`);
    }
  });
  return keys;
}

/** A key generated once into DATA_DIR and reused, so a restart logs nobody out. */
function developmentKey(dataDir: string): string {
  const file = join(dataDir, 'secret-key');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(existing) >= MIN_SECRET_BYTES) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
