import { maskEmail } from '../email-address.js';
import { composeMail, type MailContent } from './mail-layout.js';
import type { Mail } from './mail-transport.js';

/** What the account mails need to know about the site. */
export interface MailSite {
  publicUrl: string;
}

/** The account a mail is about, and the address it goes to. */
export interface Addressee {
  username: string;
  to: string;
}

const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const forgotUrl = (site: MailSite) => `${site.publicUrl}/users/password/forgot`;
const IF_NOT_YOU_RESET = (site: MailSite) =>
  `If it was not you, someone else knows your password: reset it at once at ${forgotUrl(site)}, which also logs out every device.`;

/** A link that marks an address verified (sent at signup and on request). */
export function verifyEmailMail(site: MailSite, { username, to }: Addressee, url: string, validHours: number): Mail {
  return mail(site, to, {
    subject: 'Confirm your email address',
    username,
    paragraphs: [
      `Please confirm that this is the email address of your account ${username}. Once it is, a forgotten password can be reset through it, and we tell you here when something changes in your account.`,
    ],
    action: { label: 'Confirm my email address', url },
    afterwards: [`The link works for ${validHours} hours.`, 'If you did not give this address to us, ignore this mail: it will not be used.'],
  });
}

/** A link to the new address that makes a change of address happen. */
export function confirmNewEmailMail(site: MailSite, { username, to }: Addressee, url: string, validHours: number): Mail {
  return mail(site, to, {
    subject: 'Confirm your new email address',
    username,
    paragraphs: [`You asked to use this address for your account ${username}. It takes the place of the old one once you confirm it.`],
    action: { label: 'Use this email address', url },
    afterwards: [`The link works for ${validHours} hours.`, 'If you did not ask for this, ignore this mail: nothing changes.'],
  });
}

/** To the old address when a change is asked for: it has not happened yet, and can still be stopped. */
export function emailChangeRequestedMail(site: MailSite, { username, to }: Addressee, newEmail: string): Mail {
  return mail(site, to, {
    subject: 'Your email address is about to change',
    username,
    paragraphs: [
      `Someone logged in to your account ${username} asked to change its email address to ${maskEmail(newEmail)}. It changes only when the link we sent there is followed.`,
      'If this was you, there is nothing to do.',
    ],
    afterwards: [`If it was not you, change your password now at ${forgotUrl(site)}: that cancels the change and logs out every device.`],
  });
}

/** To the old address once the address changed (or was removed). */
export function emailChangedMail(site: MailSite, { username, to }: Addressee, newEmail: string | null, at: number): Mail {
  return mail(site, to, {
    subject: newEmail ? 'Your email address was changed' : 'Your email address was removed',
    username,
    paragraphs: [
      newEmail
        ? `On ${when(at)} the email address of your account ${username} was changed to ${maskEmail(newEmail)}. Mail about the account now goes there.`
        : `On ${when(at)} the email address of your account ${username} was removed. A forgotten password can no longer be reset by mail.`,
    ],
    afterwards: [`If it was not you, log in at ${site.publicUrl}/users/login at once, change your password and set your address again.`],
  });
}

/** The reset link (password forgotten). */
export function passwordResetMail(site: MailSite, { username, to }: Addressee, url: string, validMinutes: number): Mail {
  return mail(site, to, {
    subject: 'Reset your password',
    username,
    paragraphs: [`Someone asked to reset the password of your account ${username}. To choose a new one, follow this link.`],
    action: { label: 'Choose a new password', url },
    afterwards: [
      `The link works once, for ${validMinutes} minutes, and only until you ask for another.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
  });
}

/** After the password was changed on the profile page, or reset through a link. */
export function passwordChangedMail(site: MailSite, { username, to }: Addressee, how: 'changed' | 'reset', at: number): Mail {
  return mail(site, to, {
    subject: how === 'reset' ? 'Your password was reset' : 'Your password was changed',
    username,
    paragraphs: [
      how === 'reset'
        ? `On ${when(at)} the password of your account ${username} was reset through a link sent to this address. Every device that was logged in has been logged out.`
        : `On ${when(at)} the password of your account ${username} was changed. Every other device that was logged in has been logged out.`,
      'If this was you, there is nothing to do.',
    ],
    afterwards: [IF_NOT_YOU_RESET(site)],
  });
}

/** A login from a browser that has not logged in to this account before. */
export function newDeviceMail(site: MailSite, { username, to }: Addressee, sign: { device: string; ip: string; at: number; userId: number }): Mail {
  return mail(site, to, {
    subject: 'New login to your account',
    username,
    paragraphs: [
      `Your account ${username} was logged in to from a browser or device that has not logged in to it before: ${sign.device}, from the address ${sign.ip}, on ${when(sign.at)}.`,
      'If this was you (a new browser, or one whose cookies were cleared), there is nothing to do.',
    ],
    action: { label: 'See where you are logged in', url: `${site.publicUrl}/users/${sign.userId}/sessions` },
    afterwards: [IF_NOT_YOU_RESET(site)],
  });
}

function mail(site: MailSite, to: string, content: MailContent): Mail {
  return composeMail(to, content, site.publicUrl);
}
