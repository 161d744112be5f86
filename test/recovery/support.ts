import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after } from 'node:test';
import type { Config } from '../../src/config.js';
import { type BuildOptions } from '../../src/app.js';
import { Client, createTestApp, PASSWORD } from '../helpers.js';
import { linkIn, type SmtpInbox, startSmtpInbox } from '../mail/smtp-inbox.js';

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

/** Signs up with an email address and follows the confirmation link from the mail; returns the user's id. */
export async function signUpVerified(client: Client, inbox: SmtpInbox, username: string, email: string, password = PASSWORD): Promise<number> {
  await client.get('/users/signup');
  const response = await client.post('/users/signup', { username, email, password, first_name: '', last_name: '' });
  assert.equal(response.statusCode, 302, response.body);
  const mail = await inbox.nextMailTo(email, /Confirm your email address/);
  const confirm = pathOf(linkIn(mail, `${PUBLIC_URL}/users/email/confirm/`));
  await client.get(confirm);
  const confirmed = await client.post(confirm);
  assert.equal(confirmed.statusCode, 302, confirmed.body);
  const welcome = await client.get('/users/welcome');
  return Number(/href="\/users\/(\d+)"/.exec(welcome.body)?.[1]);
}

/** Asks for a reset link through the form, then waits for the work the form started after answering. */
export async function askForReset(app: FastifyInstance, client: Client, login: string) {
  await client.get('/users/password/forgot');
  const response = await client.post('/users/password/forgot', { login });
  await app.recovery.background.settled();
  await app.mailer.deliverDue();
  return response;
}
