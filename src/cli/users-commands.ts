import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { createMemoryThrottleStore, createPasswordHasher, createSessionManager } from 'latchkey';
import { type Config, loadConfig, redactUrl } from '../config.js';
import { openDatabase } from '../db/database.js';
import { maskEmail } from '../email-address.js';
import { createAccountMail } from '../recovery/account-mail.js';
import { TOKEN_LIFETIME_MS } from '../recovery/email-tokens.js';
import { sessionStoreFor } from '../session-store.js';
import { createUserRepository } from '../users/user-repository.js';
import { CliError } from './cli-error.js';
import { stderrLog } from './stderr-log.js';

/** What `send-reset` did, for the line it prints. */
export interface SendResetResult {
  username: string;
  /** The address, mostly hidden: whoever runs the command need not read it whole. */
  to: string;
  /** True when the SMTP server took it; false when it waits in the queue for the server's worker. */
  delivered: boolean;
}

const REDIS_CONNECT_MS = 5_000;

/**
 * Sends `username` a password-reset link, as the "forgot password" form would but unthrottled (an
 * administrator's act), and tries to deliver it at once. Refused, with a CliError, for an unknown
 * user or one without a confirmed address: a link never goes to an address nobody confirmed.
 *
 * @example
 * const result = await sendReset(loadConfig(), 'alice');
 */
export async function sendReset(config: Config, username: string): Promise<SendResetResult> {
  const database = await openDatabase(config.databaseUrl);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: REDIS_CONNECT_MS, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  try {
    await redis?.connect().catch((error: unknown) => {
      throw new CliError(`REDIS_URL: cannot connect to ${redactUrl(config.redisUrl!)} (${(error as Error).message})`);
    });
    const users = createUserRepository(database);
    const { mailer, recovery } = createAccountMail({
      config,
      database,
      users,
      passwords: createPasswordHasher({ algorithm: config.passwordHash, bcryptRounds: config.bcryptRounds }),
      sessions: createSessionManager(sessionStoreFor(config, database, redis)),
      throttleStore: createMemoryThrottleStore(),
      log: stderrLog(),
      now: Date.now,
    });
    try {
      const found = await users.findByUsername(username);
      if (!found) throw new CliError(`no user named ${username}`);
      const { user } = found;
      if ((await recovery.passwordReset.sendLink(user)) !== 'sent') {
        throw new CliError(`${user.username} has no confirmed email address: nothing sent (the link goes only to an address its owner confirmed)`);
      }
      const report = await mailer.deliverDue();
      return { username: user.username, to: maskEmail(user.email!), delivered: report.sent > 0 };
    } finally {
      await mailer.close();
    }
  } finally {
    redis?.disconnect();
    await database.close();
  }
}

/** `latchkey users send-reset <username>` */
export function registerUsersCommands(program: Command): Command {
  const users = program.command('users').description('accounts');
  users
    .command('send-reset')
    .description(`send a user a password-reset link (works once, for ${TOKEN_LIFETIME_MS['password-reset'] / 60_000} minutes) at their confirmed email address`)
    .argument('<username>', 'the account, in any case')
    .action(async (username: string) => {
      const result = await sendReset(loadConfig(), username);
      process.stdout.write(
        result.delivered
          ? `Sent ${result.username} a password-reset link at ${result.to}.\n`
          : `Queued a password-reset link for ${result.username} at ${result.to}: the mail server did not take it yet, the running server retries it.\n`,
      );
    });
  return users;
}
