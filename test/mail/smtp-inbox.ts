import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the test SMTP server received it. */
export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
}

export interface SmtpInbox {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  /** Every mail received so far, in order. */
  mails: ReceivedMail[];
  /** The next mail not yet taken; waits for it (at most `timeoutMs`, then fails saying so). */
  nextMail(timeoutMs?: number): Promise<ReceivedMail>;
  /** The first mail not yet taken to `to` (in any case: mail software lowercases domains) with a subject matching; waits for it. */
  nextMailTo(to: string, subject: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  /** The next `count` deliveries are refused with this SMTP reply (451: try later; 550: never). */
  refuseNext(count: number, code: 451 | 550): void;
  /** Deliveries attempted, accepted or not. */
  readonly attempts: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server (nodemailer's `smtp-server`) on a free loopback port, keeping what it gets:
 * tests drive the app's mail through the same protocol a real mail server speaks.
 */
export async function startSmtpInbox(): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const taken = new Set<number>();
  let refusals: { count: number; code: number } = { count: 0, code: 451 };
  let attempts = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      attempts++;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals.count > 0) {
          refusals.count--;
          const error = Object.assign(new Error(refusals.code === 451 ? 'Try again later' : 'No such mailbox'), { responseCode: refusals.code });
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to[0]?.text : parsed.to?.text;
            mails.push({
              to: to ?? '',
              from: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers: parsed.headers as Map<string, unknown>,
            });
            waiters.splice(0).forEach((wake) => wake());
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  function take(matches: (mail: ReceivedMail, index: number) => boolean): ReceivedMail | undefined {
    const index = mails.findIndex(matches);
    if (index < 0) return undefined;
    taken.add(index);
    return mails[index];
  }

  async function waitFor(find: () => ReceivedMail | undefined, what: string, timeoutMs: number): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} arrived within ${timeoutMs} ms (received: ${mails.map((m) => `${m.to}: ${m.subject}`).join('; ') || 'nothing'})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    nextMail(timeoutMs = 5000) {
      return waitFor(() => take((mail, index) => !taken.has(index)), 'mail', timeoutMs);
    },
    nextMailTo(to, subject, timeoutMs = 5000) {
      return waitFor(() => take((mail, index) => !taken.has(index) && mail.to.toLowerCase().includes(to.toLowerCase()) && subject.test(mail.subject)), `mail to ${to} matching ${subject}`, timeoutMs);
    },
    refuseNext(count, code) {
      refusals = { count, code };
    },
    get attempts() {
      return attempts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's text part that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in "${mail.subject}":\n${mail.text}`);
  return link;
}
