import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createQuota, type PasswordHasher, type SessionManager, type ThrottleStore } from 'latchkey';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createMailQueue } from '../mail/mail-queue.js';
import { createMailer, type Mailer, type RetryPolicy } from '../mail/mailer.js';
import { createOutboxTransport } from '../mail/outbox.js';
import outboxRoutes from '../mail/outbox-routes.js';
import { createTextSealer } from '../mail/sealed-text.js';
import { createSmtpTransport, type SmtpDeadlines } from '../mail/smtp-transport.js';
import type { UserRepository } from '../users/user-repository.js';
import { type AccountRecovery, createAccountRecovery } from './account-recovery.js';
import { createEmailTokens } from './email-tokens.js';
import recoveryRoutes from './recovery-routes.js';
import { createApiTokenRepository } from '../tokens/token-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The mail queue and its worker: `deliverDue()` sends what is due now. */
    mailer: Mailer;
    /** Password reset, email verification and notices as plain functions, for the API and the CLI. */
    recovery: AccountRecovery;
  }
}

/** Test knobs: shorter deadlines and waits than production's. */
export interface MailOptions {
  retry?: RetryPolicy;
  smtpDeadlines?: SmtpDeadlines;
  pollEveryMs?: number;
}

const SWEEP_EVERY_MS = 10 * 60_000;

export interface AccountMailDeps {
  config: Config;
  database: Database;
  users: UserRepository;
  passwords: PasswordHasher;
  /** `app.latchkey.sessions`, or the CLI's own `createSessionManager(store)`. */
  sessions: SessionManager;
  throttleStore: ThrottleStore;
  log: FastifyBaseLogger;
  now: () => number;
  options?: MailOptions;
}

/**
 * The mailer (queue, worker, SMTP_URL or the development outbox) and the recovery flows, without
 * any HTTP: what the server registers below, and what a command such as
 * `latchkey users send-reset <username>` builds to call `recovery.passwordReset.sendLink(user)`.
 * The worker is not started: a command queues the mail and may `mailer.deliverDue()` before it
 * exits; a running server's worker sends whatever is left in the queue.
 *
 * @example
 * const { mailer, recovery } = createAccountMail({ config, database, users, passwords, sessions, throttleStore, log, now: Date.now });
 * await recovery.passwordReset.sendLink(user);
 * await mailer.deliverDue();
 * await mailer.close();
 */
export function createAccountMail({ config, database, users, passwords, sessions, throttleStore, log, now, options = {} }: AccountMailDeps): { mailer: Mailer; recovery: AccountRecovery } {
  const transport = config.smtpUrl
    ? createSmtpTransport(config.smtpUrl, config.mailFrom, options.smtpDeadlines)
    : createOutboxTransport(config.outboxDir, config.mailFrom, now);
  const mailer = createMailer({
    queue: createMailQueue(database.db),
    transport,
    sealer: createTextSealer(config.secretKeys, 'mail-queue'),
    log,
    now,
    retry: options.retry,
    pollEveryMs: options.pollEveryMs,
  });
  const { perAccount, perIp, windowMs } = config.recoveryLimit;
  const recovery = createAccountRecovery({
    users,
    tokens: createEmailTokens(database.db, now),
    mailer,
    passwords,
    sessions,
    apiTokens: createApiTokenRepository(database.db),
    accountQuota: createQuota(throttleStore, { name: 'recovery-account', points: perAccount, windowMs }),
    addressQuota: createQuota(throttleStore, { name: 'recovery-address', points: perIp, windowMs }),
    site: { publicUrl: config.publicUrl },
    secrets: config.secretKeys,
    secureCookies: config.secureCookies,
    now,
    log,
  });
  return { mailer, recovery };
}

/**
 * Mail for accounts in the server: the mailer and flows of `createAccountMail`, their routes, and
 * `app.mailer` / `app.recovery`. The worker starts when the app is ready and stops before the
 * database closes; work started by requests is waited for.
 */
export async function setUpAccountMail(
  app: FastifyInstance,
  deps: Omit<AccountMailDeps, 'sessions' | 'log'>,
): Promise<AccountRecovery> {
  const { config } = deps;
  const log = app.log.child({ module: 'mail' });
  const { mailer, recovery } = createAccountMail({ ...deps, sessions: app.latchkey.sessions, log });
  app.decorate('mailer', mailer);
  app.decorate('recovery', recovery);

  let sweeper: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    log.info(`mail goes to ${mailer.description}`);
    mailer.start();
    sweeper = setInterval(() => void recovery.sweep().catch((error: unknown) => log.warn({ err: error }, 'sweeping expired links failed')), SWEEP_EVERY_MS);
    sweeper.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    await recovery.background.settled();
    await mailer.close();
  });

  await app.register(recoveryRoutes, { recovery });
  if (!config.smtpUrl && config.env !== 'production') {
    await app.register(outboxRoutes, { dir: config.outboxDir });
    if (!isLoopback(config.host)) {
      log.warn(`HOST is ${config.host}: /dev/outbox shows every mail, reset links included, to anyone who reaches this server. Set SMTP_URL.`);
    }
  }
  return recovery;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
