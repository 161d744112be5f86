import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type LoginThrottleConfig, SESSION_MODES, type SessionMode } from 'latchkey';
import { z } from 'zod';

export const PASSWORD_HASHES = ['bcrypt', 'argon2id'] as const;
export type PasswordHashAlgorithm = (typeof PASSWORD_HASHES)[number];

/** SESSION_MODE=flask: the session is the cookie of a Flask app on the same site. */
export interface FlaskSessionConfig {
  /** The Flask app's SECRET_KEY. */
  secretKey: string;
  /** Its SECRET_KEY_FALLBACKS, oldest first as Flask lists them. */
  fallbacks: string[];
  /** Its SESSION_COOKIE_NAME. */
  cookieName: string;
  /** Its PERMANENT_SESSION_LIFETIME in seconds. */
  maxAgeSeconds: number;
  /** Accept logins the Flask app made (false once every login happens on Latchkey). */
  adoptLogins: boolean;
  /** Where a login is written: the chapter's `user_id`, or Flask-Login's `_user_id`. */
  userIdKey: 'user_id' | '_user_id';
}

/** Account creations allowed per address in a window. */
export interface SignupLimitConfig {
  perIp: number;
  windowMs: number;
}

/** Password-reset (and verification) mails: requests per client address, mails per account, per window. */
export interface RecoveryLimitConfig {
  perIp: number;
  perAccount: number;
  windowMs: number;
}

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
  /** Set exactly when `sessionMode` is `flask`. */
  flask: FlaskSessionConfig | null;
  bcryptRounds: number;
  /** New hashes use this; a login with an older kind of hash (or another bcrypt cost) upgrades it. */
  passwordHash: PasswordHashAlgorithm;
  loginThrottle: LoginThrottleConfig;
  signupLimit: SignupLimitConfig;
  /** Deleting the account needs a login this recent, or the password again (ASVS 7.5.3). */
  freshLoginMs: number;
  /** Fastify's `trustProxy`: who may set X-Forwarded-For, so `request.ip` is the real client. */
  trustProxy: boolean | number | string;
  /** Prefix of every Redis key, so apps sharing one Redis never mix their counters. */
  redisKeyPrefix: string;
  /** A session unused this long ends (ASVS 3.3.2, level 2: 30 minutes). */
  sessionIdleMs: number;
  /** A session ends this long after login however busy (ASVS 3.3.2, level 2: 12 hours). */
  sessionAbsoluteMs: number;
  /** "Remember me" sessions end this long after login (ASVS 3.3.2, level 1: 30 days); idle after a week. */
  sessionRememberMs: number;
  /** The site's address as people reach it, no trailing slash: every link in an email starts here, never from a request's Host header. */
  publicUrl: string;
  /** Mail goes out through this SMTP server; unset outside production, mail is written to `outboxDir` instead. */
  smtpUrl: string | undefined;
  /** The development outbox (DATA_DIR/outbox), shown at /dev/outbox. */
  outboxDir: string;
  /** The From of every mail (`Name <address>` or an address). */
  mailFrom: string;
  /** Password-reset requests allowed per client address, and mails per account, in a window. */
  recoveryLimit: RecoveryLimitConfig;
  /** Cookies get `Secure` (and the `__Host-` prefix) when true. */
  secureCookies: boolean;
  logLevel: string;
  /** One `info` line per completed request; failed requests are logged either way. */
  accessLog: boolean;
  /** Deadline of every connect and query to PostgreSQL, and of the readiness check. */
  databaseTimeoutMs: number;
  /** Deadline of every connect and command to Redis. */
  redisTimeoutMs: number;
  /** Bearer token for `GET /metrics`; unset: no metrics at all (404). */
  metricsToken: string | undefined;
  /** On SIGTERM: how long open requests may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** New server-side sessions per address per minute for visitors who are not logged in, and how long theirs last idle. */
  anonymousSessions: { perMinute: number; idleMs: number };
}

/** A connection URL fit for a log line: any user and password replaced by `***`. */
export const redactUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

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
  FLASK_SECRET_KEY: z.string().optional(),
  FLASK_SECRET_KEY_FALLBACKS: z.string().optional(),
  SESSION_COOKIE_NAME: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a cookie name (letters, digits, - _ . and a few symbols)').optional(),
  FLASK_PERMANENT_SESSION_LIFETIME: z.coerce.number().int().positive().max(10 * 365 * 86_400).optional(),
  FLASK_ADOPT_LOGINS: z.enum(['true', 'false']).optional(),
  FLASK_USER_ID_KEY: z.enum(['user_id', '_user_id']).optional(),
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(16).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(60 * 24 * 30).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().max(24 * 365).default(12),
  SESSION_REMEMBER_DAYS: z.coerce.number().positive().max(365).default(30),
  PASSWORD_HASH: z.enum(PASSWORD_HASHES).default('bcrypt'),
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_IP_FREE_FAILURES: z.coerce.number().int().min(1).max(100_000).default(100),
  LOGIN_FIRST_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(1),
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(900),
  LOGIN_FAILURE_WINDOW_HOURS: z.coerce.number().positive().max(24 * 90).default(24),
  LOGIN_IP_FAILURE_WINDOW_HOURS: z.coerce.number().positive().max(24 * 90).default(1),
  SIGNUPS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  SIGNUP_WINDOW_MINUTES: z.coerce.number().positive().max(24 * 60 * 30).default(60),
  FRESH_LOGIN_MINUTES: z.coerce.number().positive().max(24 * 60).default(10),
  TRUST_PROXY: z.string().optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'use 1 to 64 letters, digits or _ . : -').default('latchkey'),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'must be the http:// or https:// address of the site, without ? or #')
    .optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+/, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address (Name <no-reply@example.com> or no-reply@example.com)').optional(),
  PASSWORD_RESETS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(10),
  PASSWORD_RESETS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(3),
  PASSWORD_RESET_WINDOW_MINUTES: z.coerce.number().positive().max(24 * 60 * 30).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ACCESS_LOG: z.enum(['true', 'false']).optional(),
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters (try `openssl rand -hex 16`)').optional(),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
  ANONYMOUS_SESSIONS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  ANONYMOUS_IDLE_MINUTES: z.coerce.number().positive().max(60 * 24).default(5),
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
  const secretKeys = readSecretKeys(vars.SECRET_KEYS, production, dataDir);
  const publicUrl = readPublicUrl(vars.PUBLIC_URL, production, vars.HOST, vars.PORT);
  if (production && !vars.SMTP_URL) {
    throw new ConfigError('SMTP_URL: required in production, or no password-reset or notice mail can go out (smtp://user:password@mail.example.com:587)');
  }
  return {
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    dataDir,
    databaseUrl: vars.DATABASE_URL ?? `sqlite:${join(dataDir, 'latchkey.db')}`,
    redisUrl: vars.REDIS_URL,
    secretKeys,
    sessionMode: vars.SESSION_MODE,
    flask: readFlaskSession(vars),
    bcryptRounds: vars.BCRYPT_ROUNDS,
    passwordHash: vars.PASSWORD_HASH,
    loginThrottle: {
      freeFailures: vars.LOGIN_FREE_FAILURES,
      ipFreeFailures: vars.LOGIN_IP_FREE_FAILURES,
      firstDelayMs: vars.LOGIN_FIRST_DELAY_SECONDS * 1000,
      maxDelayMs: Math.max(vars.LOGIN_MAX_DELAY_SECONDS, vars.LOGIN_FIRST_DELAY_SECONDS) * 1000,
      windowMs: vars.LOGIN_FAILURE_WINDOW_HOURS * 3_600_000,
      ipWindowMs: vars.LOGIN_IP_FAILURE_WINDOW_HOURS * 3_600_000,
    },
    signupLimit: { perIp: vars.SIGNUPS_PER_IP, windowMs: vars.SIGNUP_WINDOW_MINUTES * 60_000 },
    freshLoginMs: vars.FRESH_LOGIN_MINUTES * 60_000,
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    redisKeyPrefix: vars.REDIS_KEY_PREFIX,
    sessionIdleMs: vars.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: vars.SESSION_ABSOLUTE_HOURS * 3_600_000,
    sessionRememberMs: vars.SESSION_REMEMBER_DAYS * 86_400_000,
    publicUrl,
    smtpUrl: vars.SMTP_URL,
    outboxDir: join(dataDir, 'outbox'),
    mailFrom: vars.MAIL_FROM ?? `Latchkey <no-reply@${new URL(publicUrl).hostname}>`,
    recoveryLimit: {
      perIp: vars.PASSWORD_RESETS_PER_IP,
      perAccount: vars.PASSWORD_RESETS_PER_ACCOUNT,
      windowMs: vars.PASSWORD_RESET_WINDOW_MINUTES * 60_000,
    },
    secureCookies: production,
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
    // behind a proxy the proxy keeps the access log; a line per request is then paid twice
    accessLog: (vars.ACCESS_LOG ?? String(!production)) === 'true',
    databaseTimeoutMs: vars.DATABASE_TIMEOUT_MS,
    redisTimeoutMs: vars.REDIS_TIMEOUT_MS,
    metricsToken: vars.METRICS_TOKEN,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    anonymousSessions: { perMinute: vars.ANONYMOUS_SESSIONS_PER_MINUTE, idleMs: vars.ANONYMOUS_IDLE_MINUTES * 60_000 },
  };
}

const FLASK_VARIABLES = [
  'FLASK_SECRET_KEY', 'FLASK_SECRET_KEY_FALLBACKS', 'SESSION_COOKIE_NAME', 'FLASK_PERMANENT_SESSION_LIFETIME', 'FLASK_ADOPT_LOGINS', 'FLASK_USER_ID_KEY',
] as const;

/** The Flask app's session settings when SESSION_MODE=flask; set in another mode, they are a mistake worth stopping for. */
function readFlaskSession(vars: z.infer<typeof schema>): FlaskSessionConfig | null {
  if (vars.SESSION_MODE !== 'flask') {
    const stray = FLASK_VARIABLES.find((name) => vars[name] !== undefined);
    if (stray) throw new ConfigError(`${stray}: only used with SESSION_MODE=flask (SESSION_MODE is ${vars.SESSION_MODE})`);
    return null;
  }
  // Flask's key may be of any length; Flask itself refuses none
  if (vars.FLASK_SECRET_KEY === undefined) {
    throw new ConfigError("FLASK_SECRET_KEY: required with SESSION_MODE=flask (the Flask app's SECRET_KEY, so both apps read one session cookie)");
  }
  return {
    secretKey: vars.FLASK_SECRET_KEY,
    fallbacks: (vars.FLASK_SECRET_KEY_FALLBACKS ?? '').split(',').map((key) => key.trim()).filter((key) => key !== ''),
    cookieName: vars.SESSION_COOKIE_NAME ?? 'session',
    maxAgeSeconds: vars.FLASK_PERMANENT_SESSION_LIFETIME ?? 31 * 86_400,
    adoptLogins: vars.FLASK_ADOPT_LOGINS !== 'false',
    userIdKey: vars.FLASK_USER_ID_KEY ?? 'user_id',
  };
}

/**
 * TRUST_PROXY: unset or `false` (clients connect directly), a number of proxy hops, or the
 * addresses/CIDRs of your proxies. `true` trusts any X-Forwarded-For, which lets a client pick
 * the address its login attempts are counted against: only behind a proxy that overwrites it.
 */
function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/**
 * PUBLIC_URL, without a trailing slash. Links in email are built from it and never from the
 * request's Host header, which a client chooses: a forged Host would send a reset link (and its
 * token) to the attacker's site. Development defaults to where the server listens.
 */
function readPublicUrl(raw: string | undefined, production: boolean, host: string, port: number): string {
  if (raw === undefined) {
    if (production) throw new ConfigError("PUBLIC_URL: required in production (the site's address as users reach it, e.g. https://example.com)");
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${port}`;
  }
  return raw.replace(/\/+$/, '');
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
