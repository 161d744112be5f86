import type { FastifyBaseLogger } from 'fastify';
import type { MailQueue, QueueCounts } from './mail-queue.js';
import type { Mail, MailTransport } from './mail-transport.js';
import type { TextSealer } from './sealed-text.js';

/** How failed sends are retried. */
export interface RetryPolicy {
  /** The wait after the first failure; it doubles with each further failure… */
  firstDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** Then the mail is given up on (logged as an error, kept in the table). */
  maxAttempts: number;
  /** One attempt ends by then, whatever the transport's own deadlines. */
  attemptDeadlineMs: number;
}

/** 30 s, 1, 2, 4 … minutes, at most an hour apart: 12 attempts over about six hours. */
export const RETRY_POLICY: RetryPolicy = { firstDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 12, attemptDeadlineMs: 60_000 };

/** The queue is looked at this often, besides right after each new mail. */
export const POLL_EVERY_MS = 10_000;
const BATCH = 20;
const CLOSE_GRACE_MS = 5_000;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

export interface Mailer {
  /** Where mail goes, for the boot log line. */
  readonly description: string;
  /**
   * Queues a mail and wakes the worker; resolves once the mail is stored, before it is sent. Never
   * throws: a mail that cannot even be queued is logged, and the request that asked goes on.
   */
  send(kind: string, mail: Mail): Promise<void>;
  /** Sends what is due now, retrying what failed; resolves when the queue has nothing due. */
  deliverDue(): Promise<DeliveryReport>;
  counts(): Promise<QueueCounts>;
  /** Starts looking at the queue every POLL_EVERY_MS. */
  start(): void;
  /** Stops the worker, lets a send in flight finish (briefly), closes the transport. */
  close(): Promise<void>;
}

export interface MailerOptions {
  queue: MailQueue;
  transport: MailTransport;
  sealer: TextSealer;
  log: FastifyBaseLogger;
  now: () => number;
  retry?: RetryPolicy;
  pollEveryMs?: number;
}

/**
 * Mail through a small durable queue: a request stores its mail and goes on; an in-process
 * worker sends it, retries with growing waits and logs every outcome. At least once: a mail is
 * deleted only after the server took it, so a crash mid-send means it may go twice, but is never lost.
 *
 * @example
 * const mailer = createMailer({ queue, transport, sealer, log: app.log, now: Date.now });
 * mailer.start();
 * await mailer.send('password-reset', { to, subject, text, html });
 */
export function createMailer({ queue, transport, sealer, log, now, retry = RETRY_POLICY, pollEveryMs = POLL_EVERY_MS }: MailerOptions): Mailer {
  let running: Promise<DeliveryReport> | null = null;
  let again = false;
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: AbortController | null = null;
  // a claimed mail is due again after this, should this process die while sending it
  const leaseMs = retry.attemptDeadlineMs * 2;

  const delayAfter = (attempts: number) => Math.min(retry.firstDelayMs * 2 ** (attempts - 1), retry.maxDelayMs);

  async function attempt(mail: Mail): Promise<void> {
    inFlight = new AbortController();
    const deadline = setTimeout(() => inFlight?.abort(new Error(`no answer within ${retry.attemptDeadlineMs} ms`)), retry.attemptDeadlineMs);
    try {
      await transport.deliver(mail, inFlight.signal);
    } finally {
      clearTimeout(deadline);
      inFlight = null;
    }
  }

  async function pass(report: DeliveryReport): Promise<void> {
    for (const due of await queue.due(now(), BATCH)) {
      if (closing) return;
      if (!(await queue.claim(due, now() + leaseMs))) continue;
      const attempts = due.attempts + 1;
      const about = { mailId: due.id, kind: due.kind, attempt: attempts };
      const opened = sealer.open(due.sealed);
      if (opened === null) {
        await queue.giveUp(due.id, attempts, now(), 'cannot be opened with SECRET_KEYS');
        log.error(about, 'mail given up: it was sealed with a key no longer in SECRET_KEYS');
        report.failed++;
        continue;
      }
      try {
        await attempt(JSON.parse(opened) as Mail);
        await queue.sent(due.id);
        log.info(about, 'mail sent');
        report.sent++;
      } catch (error) {
        const reason = describeFailure(error);
        // a 5xx answer (no such mailbox, refused) would only come again
        const permanent = (error as { permanent?: unknown }).permanent === true;
        if (permanent || attempts >= retry.maxAttempts) {
          await queue.giveUp(due.id, attempts, now(), reason);
          log.error({ ...about, reason }, permanent ? 'mail given up: the server refused it for good' : 'mail given up after the last attempt');
          report.failed++;
        } else {
          const waitMs = delayAfter(attempts);
          await queue.retryAt(due.id, attempts, now() + waitMs, reason);
          log.warn({ ...about, reason, retryInMs: waitMs }, 'mail not sent; will retry');
          report.retrying++;
        }
      }
    }
  }

  function deliverDue(): Promise<DeliveryReport> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
      do {
        again = false;
        await pass(report);
      } while (again && !closing);
      return report;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const deliverQuietly = () => {
    deliverDue().catch((error: unknown) => log.warn({ err: error }, 'mail queue unavailable; will look again'));
  };

  return {
    description: transport.description,
    async send(kind, mail) {
      try {
        const id = await queue.add(kind, sealer.seal(JSON.stringify(mail)), now());
        log.info({ mailId: id, kind }, 'mail queued');
      } catch (error) {
        log.error({ err: error, kind }, 'mail could not be queued');
        return;
      }
      if (!closing) setImmediate(deliverQuietly);
    },
    deliverDue,
    counts: () => queue.counts(),
    start() {
      if (timer || closing) return;
      timer = setInterval(deliverQuietly, pollEveryMs);
      timer.unref();
      setImmediate(deliverQuietly);
    },
    async close() {
      closing = true;
      if (timer) clearInterval(timer);
      if (running) {
        const grace = setTimeout(() => inFlight?.abort(new Error('shutting down')), CLOSE_GRACE_MS);
        await running.catch(() => {});
        clearTimeout(grace);
      }
      transport.close();
    },
  };
}

/** One line for the log and the table: the SMTP reply when there is one, else the error's message. */
function describeFailure(error: unknown): string {
  const { response, code, message } = error as { response?: unknown; code?: unknown; message?: unknown };
  if (typeof response === 'string') return response;
  return [typeof code === 'string' ? code : '', typeof message === 'string' ? message : String(error)].filter(Boolean).join(': ');
}
