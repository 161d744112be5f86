import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after } from 'node:test';
import type { BuildOptions } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createTestApp } from '../helpers.js';
import { type SmtpInbox, startSmtpInbox } from './smtp-inbox.js';

/** Links in mail start here: not the address tests send requests to. */
export const PUBLIC_URL = 'https://latchkey.example';

/** A clock the test moves. */
export function testClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

export interface MailTestApp {
  app: FastifyInstance;
  inbox: SmtpInbox;
}

/** The app sending through a real SMTP server on a free loopback port; both closed after the file's tests. */
export async function createMailTestApp(overrides: Partial<Config> = {}, options: BuildOptions = {}): Promise<MailTestApp> {
  const inbox = await startSmtpInbox();
  after(() => inbox.close());
  const app = await createTestApp({ smtpUrl: inbox.url, publicUrl: PUBLIC_URL, ...overrides }, options);
  await app.ready();
  return { app, inbox };
}

/** The path of a link from a mail, for `inject`; fails unless the link starts with PUBLIC_URL. */
export function pathOf(link: string): string {
  assert.ok(link.startsWith(`${PUBLIC_URL}/`), `${link} does not start with PUBLIC_URL`);
  return link.slice(PUBLIC_URL.length);
}
