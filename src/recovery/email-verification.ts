import type { Quota } from 'latchkey';
import { confirmNewEmailMail, type MailSite, verifyEmailMail } from '../mail/account-mails.js';
import type { Mailer } from '../mail/mailer.js';
import { emailKey } from '../email-address.js';
import type { User, UserRepository } from '../users/user-repository.js';
import { type EmailTokens, passwordFingerprint, TOKEN_LIFETIME_MS, type TokenPurpose } from './email-tokens.js';
import type { SecurityNotices } from './security-notices.js';

export type ChangeOutcome = 'sent' | 'removed' | 'unchanged' | 'email-taken';

/** What an address link asks for, shown on its page before the user confirms. */
export interface AddressGrant {
  user: User;
  email: string;
  purpose: 'email-verify' | 'email-change';
}

export type ConfirmOutcome = { outcome: 'verified' | 'changed'; user: User; email: string } | { outcome: 'invalid-token' } | { outcome: 'email-taken' };

export type SendOutcome = { outcome: 'sent' | 'no-email' | 'already-verified' } | { outcome: 'throttled'; retryAfterMs: number };

export interface EmailVerification {
  /** Sends a link that verifies the user's current address. `throttle`: count it against the account's mails (a request from the profile). */
  sendVerification(user: User, options?: { throttle?: boolean }): Promise<SendOutcome>;
  /**
   * A new address waits for the link sent to it (and the old address is told); removing the
   * address (null) happens at once (and the old address is told). The same address in another
   * case is only respelled.
   */
  requestChange(user: User, newEmail: string | null): Promise<ChangeOutcome>;
  /** The change of address waiting for its confirmation, if any. */
  pendingChange(user: User): Promise<string | null>;
  /** What a link would do, while it still works. */
  check(token: string): Promise<AddressGrant | null>;
  /** Does what the link asks: marks the address verified, or makes the change. Uses the link up. */
  confirm(token: string): Promise<ConfirmOutcome>;
}

export interface EmailVerificationDeps {
  users: UserRepository;
  tokens: EmailTokens;
  mailer: Mailer;
  notices: SecurityNotices;
  accountQuota: Quota;
  site: MailSite;
}

const ADDRESS_PURPOSES: readonly TokenPurpose[] = ['email-verify', 'email-change'];
const validHours = (purpose: TokenPurpose) => TOKEN_LIFETIME_MS[purpose] / 3_600_000;

/**
 * Email addresses proven by a link: at signup and on request (verification), and whenever the
 * address changes (the change happens only when the new address confirms it).
 *
 * @example
 * await verification.requestChange(user, 'new@example.com'); // 'sent'
 */
export function createEmailVerification({ users, tokens, mailer, notices, accountQuota, site }: EmailVerificationDeps): EmailVerification {
  const confirmUrl = (token: string) => `${site.publicUrl}/users/email/confirm/${token}`;

  /**
   * The grant with its user, if it still applies: a change of address made under an older
   * password is void (whoever asked may have known only the old one).
   */
  async function resolve(grant: Awaited<ReturnType<EmailTokens['peek']>>): Promise<AddressGrant | null> {
    if (!grant || grant.email === null || (grant.purpose !== 'email-verify' && grant.purpose !== 'email-change')) return null;
    const found = await users.findWithHash(grant.userId);
    if (!found) return null;
    if (grant.purpose === 'email-change' && passwordFingerprint(found.passwordHash) !== grant.passwordFingerprint) return null;
    if (grant.purpose === 'email-verify' && (found.user.email === null || emailKey(found.user.email) !== emailKey(grant.email))) return null;
    return { user: found.user, email: grant.email, purpose: grant.purpose };
  }

  return {
    async sendVerification(user, { throttle = false } = {}) {
      const found = await users.findWithHash(user.id);
      if (!found?.user.email) return { outcome: 'no-email' };
      if (found.user.emailVerified) return { outcome: 'already-verified' };
      const retryAfterMs = throttle ? await accountQuota.take(`verify:${user.id}`) : 0;
      if (retryAfterMs > 0) return { outcome: 'throttled', retryAfterMs };
      const token = await tokens.issue(user.id, 'email-verify', { email: found.user.email, passwordHash: found.passwordHash });
      const to = { username: found.user.username, to: found.user.email };
      await mailer.send('email-verify', verifyEmailMail(site, to, confirmUrl(token), validHours('email-verify')));
      return { outcome: 'sent' };
    },
    async requestChange(user, newEmail) {
      const found = await users.findWithHash(user.id);
      if (!found) return 'unchanged';
      const current = found.user;
      if (newEmail === null) {
        if (current.email === null) return 'unchanged';
        await users.setEmail(current.id, null, { verified: false });
        await tokens.revoke(current.id, 'email-verify');
        await tokens.revoke(current.id, 'email-change');
        await notices.emailChanged(current, null);
        return 'removed';
      }
      if (current.email !== null && emailKey(current.email) === emailKey(newEmail)) {
        if (current.email !== newEmail) await users.setEmail(current.id, newEmail, { verified: current.emailVerified });
        return 'unchanged';
      }
      if (await users.emailTaken(newEmail, current.id)) return 'email-taken';
      const token = await tokens.issue(current.id, 'email-change', { email: newEmail, passwordHash: found.passwordHash });
      await mailer.send('email-change', confirmNewEmailMail(site, { username: current.username, to: newEmail }, confirmUrl(token), validHours('email-change')));
      await notices.emailChangeRequested(current, newEmail);
      return 'sent';
    },
    async pendingChange(user) {
      return tokens.pendingEmail(user.id, 'email-change');
    },
    async check(token) {
      return resolve(await tokens.peek(token, ADDRESS_PURPOSES));
    },
    async confirm(token) {
      const grant = await resolve(await tokens.consume(token, ADDRESS_PURPOSES));
      if (!grant) return { outcome: 'invalid-token' };
      if (grant.purpose === 'email-verify') {
        const verified = await users.markEmailVerified(grant.user.id, grant.email);
        return verified ? { outcome: 'verified', user: grant.user, email: grant.email } : { outcome: 'invalid-token' };
      }
      const changed = await users.setEmail(grant.user.id, grant.email, { verified: true });
      if (changed === 'email-taken') return { outcome: 'email-taken' };
      if (changed === 'missing') return { outcome: 'invalid-token' };
      await tokens.revoke(grant.user.id, 'email-verify');
      await notices.emailChanged(grant.user, grant.email);
      return { outcome: 'changed', user: grant.user, email: grant.email };
    },
  };
}
