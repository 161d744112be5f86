import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Client, PASSWORD } from '../helpers.js';
import { pathOf, PUBLIC_URL } from '../mail/mail-test-app.js';
import { linkIn, type SmtpInbox } from '../mail/smtp-inbox.js';

export { createMailTestApp, pathOf, PUBLIC_URL, testClock } from '../mail/mail-test-app.js';

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
