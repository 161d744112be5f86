import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { AUTOMATED_HEADERS, type MailTransport, NO_OUTSIDE_CONTENT } from './mail-transport.js';

/** A mail as the outbox keeps it. */
export interface OutboxMail {
  id: string;
  /** ISO 8601. */
  date: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The outbox keeps this many mails, newest first; older ones are deleted as new ones come. */
export const OUTBOX_KEEPS = 200;
const ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/**
 * Development without SMTP_URL: each mail is composed exactly as it would be sent (nodemailer's
 * stream transport) and written to `dir` as `<id>.eml`, which any mail program opens, beside
 * `<id>.json` for the /dev/outbox page.
 *
 * @example
 * const transport = createOutboxTransport('./data/outbox', 'Latchkey <no-reply@localhost>');
 */
export function createOutboxTransport(dir: string, from: string, now: () => number = Date.now): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, ...NO_OUTSIDE_CONTENT }, { from, headers: AUTOMATED_HEADERS });
  return {
    description: `the outbox in ${dir} (no SMTP_URL)`,
    async deliver(mail) {
      const { message } = await composer.sendMail(mail);
      const date = new Date(now()).toISOString();
      const id = `${date.replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
      const kept: OutboxMail = { id, date, from, ...mail };
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeAtomically(join(dir, `${id}.eml`), message as Buffer);
      await writeAtomically(join(dir, `${id}.json`), `${JSON.stringify(kept, null, 2)}\n`);
      await prune(dir);
    },
    close: () => composer.close(),
  };
}

/** The mails in the outbox, newest first (none when the folder does not exist yet). */
export async function listOutbox(dir: string): Promise<OutboxMail[]> {
  const ids = (await outboxIds(dir)).reverse();
  const mails = await Promise.all(ids.map((id) => readOutboxMail(dir, id)));
  return mails.filter((mail): mail is OutboxMail => mail !== null);
}

/** One mail of the outbox by id, or null (an id that is not an outbox id reads no file). */
export async function readOutboxMail(dir: string, id: string): Promise<OutboxMail | null> {
  if (!ID.test(id)) return null;
  try {
    return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as OutboxMail;
  } catch {
    return null;
  }
}

async function outboxIds(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).filter((id) => ID.test(id)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

// written whole, then renamed: the outbox page never reads half a mail
async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  const partial = `${file}.partial`;
  await writeFile(partial, content, { mode: 0o600 });
  await rename(partial, file);
}

async function prune(dir: string): Promise<void> {
  const ids = await outboxIds(dir);
  const old = ids.slice(0, Math.max(0, ids.length - OUTBOX_KEEPS));
  await Promise.all(old.flatMap((id) => [rm(join(dir, `${id}.json`), { force: true }), rm(join(dir, `${id}.eml`), { force: true })]));
}
