/** A mail ready to go: one recipient, a plain-text part and an HTML part that say the same. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where mail goes: an SMTP server, or in development the outbox folder. */
export interface MailTransport {
  /** `smtp://host:port` or `outbox <dir>`, for the boot log line; never a password. */
  readonly description: string;
  /** Hands the mail over, or throws; `signal` aborts a send that takes too long. */
  deliver(mail: Mail, signal: AbortSignal): Promise<void>;
  close(): void;
}

/** Headers on every mail: it is sent by a machine, so vacation replies and the like stay away (RFC 3834). */
export const AUTOMATED_HEADERS = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } as const;

/** Nodemailer reads attachment paths and URLs when asked; our mails have none, so it may never. */
export const NO_OUTSIDE_CONTENT = { disableFileAccess: true, disableUrlAccess: true } as const;
