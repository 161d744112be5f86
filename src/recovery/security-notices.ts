import { emailChangedMail, emailChangeRequestedMail, type MailSite, newDeviceMail, passwordChangedMail } from '../mail/account-mails.js';
import type { Mailer } from '../mail/mailer.js';
import type { User } from '../users/user-repository.js';

/** Mails that tell a user something happened to their account, and what to do if it was not them. */
export interface SecurityNotices {
  passwordChanged(user: User, how: 'changed' | 'reset'): Promise<void>;
  /** To the current address: a change to `newEmail` waits for its confirmation. */
  emailChangeRequested(user: User, newEmail: string): Promise<void>;
  /** To the address `user` had before (`newEmail` null: removed). */
  emailChanged(before: User, newEmail: string | null): Promise<void>;
  newDevice(user: User, sign: { device: string; ip: string }): Promise<void>;
}

/**
 * Notices go only to verified addresses: an address nobody confirmed may be someone else's, and
 * they should not learn about this account from us.
 *
 * @example
 * await notices.passwordChanged(user, 'changed');
 */
export function createSecurityNotices({ mailer, site, now }: { mailer: Mailer; site: MailSite; now: () => number }): SecurityNotices {
  const addressee = (user: User) => (user.email && user.emailVerified ? { username: user.username, to: user.email } : null);
  return {
    async passwordChanged(user, how) {
      const to = addressee(user);
      if (to) await mailer.send(`password-${how}`, passwordChangedMail(site, to, how, now()));
    },
    async emailChangeRequested(user, newEmail) {
      const to = addressee(user);
      if (to) await mailer.send('email-change-requested', emailChangeRequestedMail(site, to, newEmail));
    },
    async emailChanged(before, newEmail) {
      const to = addressee(before);
      if (to) await mailer.send('email-changed', emailChangedMail(site, to, newEmail, now()));
    },
    async newDevice(user, { device, ip }) {
      const to = addressee(user);
      if (to) await mailer.send('new-device', newDeviceMail(site, to, { device, ip, at: now(), userId: user.id }));
    },
  };
}
