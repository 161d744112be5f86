import nodemailer from 'nodemailer';
import { redactUrl } from '../config.js';
import { AUTOMATED_HEADERS, type MailTransport, NO_OUTSIDE_CONTENT } from './mail-transport.js';

/** Deadlines for each stage of an SMTP conversation: a server that stalls costs one attempt, never a stuck worker. */
export interface SmtpDeadlines {
  connectionMs: number;
  greetingMs: number;
  /** Silence on an open connection. */
  socketMs: number;
  dnsMs: number;
}

export const SMTP_DEADLINES: SmtpDeadlines = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000, dnsMs: 10_000 };

/**
 * Sends through the SMTP server of `SMTP_URL` (`smtp://user:pass@host:587` upgrades with STARTTLS
 * when offered; `smtps://…:465` is TLS from the start; query parameters such as `?requireTLS=true`
 * are nodemailer's options). One connection per mail: a queue of account mail is never busy enough
 * to need a pool, and a fresh connection cannot inherit a broken one.
 *
 * @example
 * const transport = createSmtpTransport('smtp://mail.example.com:587', 'Latchkey <no-reply@example.com>');
 */
export function createSmtpTransport(url: string, from: string, deadlines: SmtpDeadlines = SMTP_DEADLINES): MailTransport {
  const transporter = nodemailer.createTransport(
    {
      url,
      connectionTimeout: deadlines.connectionMs,
      greetingTimeout: deadlines.greetingMs,
      socketTimeout: deadlines.socketMs,
      dnsTimeout: deadlines.dnsMs,
      ...NO_OUTSIDE_CONTENT,
    },
    { from, headers: AUTOMATED_HEADERS },
  );
  return {
    description: redactUrl(url),
    async deliver(mail, signal) {
      await transporter.sendMail({ ...mail, signal });
    },
    close: () => transporter.close(),
  };
}
