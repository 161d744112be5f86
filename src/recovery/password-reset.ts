import { type PasswordHasher, passwordProblem, type Quota, type SessionManager } from 'latchkey';
import { type MailSite, passwordResetMail } from '../mail/account-mails.js';
import type { Mailer } from '../mail/mailer.js';
import type { User, UserRepository } from '../users/user-repository.js';
import { type EmailTokens, passwordFingerprint, TOKEN_LIFETIME_MS } from './email-tokens.js';
import type { SecurityNotices } from './security-notices.js';

/** What became of a "forgot password" request: for logs and tests only, never for the page. */
export type ResetRequestOutcome = 'sent' | 'no-account' | 'no-verified-email' | 'throttled';

export type ResetOutcome =
  | { outcome: 'reset'; user: User }
  | { outcome: 'invalid-token' }
  | { outcome: 'invalid-password'; problem: string };

export interface PasswordReset {
  /**
   * Sends a reset link to the account named by `login` (a username, or an email address in any
   * case) if it has a verified address, at most `perAccount` times a window.
   */
  request(login: string): Promise<ResetRequestOutcome>;
  /** Sends a reset link to this user, unthrottled: for an administrator (the CLI, the API). */
  sendLink(user: User): Promise<'sent' | 'no-verified-email'>;
  /** The user a reset link is for while it still works, or null. */
  check(token: string): Promise<User | null>;
  /**
   * Sets the new password if the link still works and the password is acceptable; then the link
   * is used up, every session of the user ends, and a notice goes out. Nobody is logged in.
   */
  complete(token: string, password: string): Promise<ResetOutcome>;
}

export interface PasswordResetDeps {
  users: UserRepository;
  tokens: EmailTokens;
  mailer: Mailer;
  passwords: PasswordHasher;
  sessions: SessionManager;
  notices: SecurityNotices;
  /** Reset mails per account in a window, counted by user id whatever name or address was typed. */
  accountQuota: Quota;
  site: MailSite;
}

const VALID_MINUTES = TOKEN_LIFETIME_MS['password-reset'] / 60_000;

/**
 * Password reset by the OWASP Forgot Password Cheat Sheet: a random single-use token, stored
 * hashed, short-lived, dead once used, superseded or once the password changes.
 *
 * @example
 * const reset = createPasswordReset(deps);
 * await reset.request('alice@example.com');
 */
export function createPasswordReset({ users, tokens, mailer, passwords, sessions, notices, accountQuota, site }: PasswordResetDeps): PasswordReset {
  const resetUrl = (token: string) => `${site.publicUrl}/users/password/reset/${token}`;

  async function findAccount(login: string) {
    const trimmed = login.trim();
    if (!trimmed) return null;
    // usernames cannot hold '@', so an '@' means an address
    return trimmed.includes('@') ? users.findByEmail(trimmed) : users.findByUsername(trimmed);
  }

  async function sendLink(user: User, passwordHash: string): Promise<'sent' | 'no-verified-email'> {
    if (!user.email || !user.emailVerified) return 'no-verified-email';
    const token = await tokens.issue(user.id, 'password-reset', { passwordHash });
    await mailer.send('password-reset', passwordResetMail(site, { username: user.username, to: user.email }, resetUrl(token), VALID_MINUTES));
    return 'sent';
  }

  /** The grant's user, if the password is still the one the token was made under. */
  async function holderOf(grant: { userId: number; passwordFingerprint: string } | null) {
    if (!grant) return null;
    const found = await users.findWithHash(grant.userId);
    return found && passwordFingerprint(found.passwordHash) === grant.passwordFingerprint ? found : null;
  }

  return {
    async request(login) {
      const found = await findAccount(login);
      if (!found) return 'no-account';
      if (!found.user.email || !found.user.emailVerified) return 'no-verified-email';
      if ((await accountQuota.take(`reset:${found.user.id}`)) > 0) return 'throttled';
      return sendLink(found.user, found.passwordHash);
    },
    async sendLink(user) {
      const found = await users.findWithHash(user.id);
      return found ? sendLink(found.user, found.passwordHash) : 'no-verified-email';
    },
    async check(token) {
      return (await holderOf(await tokens.peek(token, ['password-reset'])))?.user ?? null;
    },
    async complete(token, password) {
      // a dead link is said first: choosing a password for it would be wasted effort
      const peeked = await holderOf(await tokens.peek(token, ['password-reset']));
      if (!peeked) return { outcome: 'invalid-token' };
      const { username, firstName, lastName, email } = peeked.user;
      // the same rules as at signup: the account's own names count as known to an attacker
      const problem = passwordProblem(password, { username, userInputs: [firstName, lastName, email ?? '', 'latchkey'] });
      if (problem) return { outcome: 'invalid-password', problem };
      const passwordHash = await passwords.hash(password);
      const holder = await holderOf(await tokens.consume(token, ['password-reset']));
      if (!holder) return { outcome: 'invalid-token' };
      await users.setPasswordHash(holder.user.id, passwordHash);
      // links made under the old password no longer match it; a pending change of address was
      // perhaps asked for by whoever knew that password, so it goes too (the notice promises it)
      await tokens.revoke(holder.user.id, 'email-change');
      await sessions.endAll(holder.user.id);
      await notices.passwordChanged(holder.user, 'reset');
      return { outcome: 'reset', user: holder.user };
    },
  };
}
