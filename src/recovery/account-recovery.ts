import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { PasswordHasher, Quota, SessionManager } from 'latchkey';
import type { MailSite } from '../mail/account-mails.js';
import type { Mailer } from '../mail/mailer.js';
import { deviceName } from '../users/device-name.js';
import type { User, UserRepository } from '../users/user-repository.js';
import { type BackgroundWork, createBackgroundWork } from './background-work.js';
import type { EmailTokens } from './email-tokens.js';
import { createEmailVerification, type EmailVerification } from './email-verification.js';
import { createForgotPassword, type ForgotPassword } from './forgot-password.js';
import { createKnownDevices, type KnownDevices } from './known-devices.js';
import { createPasswordReset, type PasswordReset } from './password-reset.js';
import { createSecurityNotices, type SecurityNotices } from './security-notices.js';

/**
 * Everything about email in accounts, as plain functions: the HTML routes call these, and so can
 * a JSON API or a command (`latchkey users send-reset <username>` is `passwordReset.sendLink`).
 */
export interface AccountRecovery {
  passwordReset: PasswordReset;
  /** The "forgot password" request of the form and the API: checked, throttled, its work after the answer. */
  forgotPassword: ForgotPassword;
  emailVerification: EmailVerification;
  notices: SecurityNotices;
  devices: KnownDevices;
  /** Work started by requests and not awaited by them (the "forgot password" form's). */
  background: BackgroundWork;
  /** After a password login: a notice when this browser never logged in to the account before. */
  afterLogin(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
  /** Housekeeping: deletes expired links. */
  sweep(): Promise<number>;
}

export interface AccountRecoveryDeps {
  users: UserRepository;
  tokens: EmailTokens;
  mailer: Mailer;
  passwords: PasswordHasher;
  sessions: SessionManager;
  /** A reset is a new password: it revokes the user's API tokens too. */
  apiTokens: { revokeAll(userId: number): Promise<number> };
  accountQuota: Quota;
  /** "Forgot password" requests per client address. */
  addressQuota: Quota;
  site: MailSite;
  secrets: readonly string[];
  secureCookies: boolean;
  now(): number;
  log: FastifyBaseLogger;
}

/**
 * @example
 * const recovery = createAccountRecovery({ users, tokens, mailer, passwords, sessions: app.latchkey.sessions, ... });
 * await recovery.passwordReset.request('alice');
 */
export function createAccountRecovery(deps: AccountRecoveryDeps): AccountRecovery {
  const { users, tokens, mailer, passwords, sessions, apiTokens, accountQuota, site, now, log } = deps;
  const notices = createSecurityNotices({ mailer, site, now });
  const devices = createKnownDevices({ secrets: deps.secrets, secure: deps.secureCookies });
  const passwordReset = createPasswordReset({ users, tokens, mailer, passwords, sessions, apiTokens, notices, accountQuota, site });
  const background = createBackgroundWork(log);
  return {
    passwordReset,
    forgotPassword: createForgotPassword({ passwordReset, background, addressQuota: deps.addressQuota }),
    emailVerification: createEmailVerification({ users, tokens, mailer, notices, accountQuota, site }),
    notices,
    devices,
    background,
    async afterLogin(request, reply, user) {
      const known = devices.isKnown(request, user.id);
      devices.remember(request, reply, user.id);
      if (!known) await notices.newDevice(user, { device: deviceName(request.headers['user-agent'] ?? ''), ip: request.ip });
    },
    sweep: () => tokens.sweep(),
  };
}
