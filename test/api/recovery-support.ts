import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { linkIn, type ReceivedMail, type SmtpInbox } from '../mail/smtp-inbox.js';
import { PUBLIC_URL } from '../recovery/support.js';
import { apiSession, assertMatchesSpec, type ApiSession, PASSWORD } from './api-client.js';

export const RESET_LINK = `${PUBLIC_URL}/users/password/reset/`;
export const CONFIRM_LINK = `${PUBLIC_URL}/users/email/confirm/`;

/** The token at the end of the link a mail carries. */
export const tokenIn = (mail: ReceivedMail, prefix: string) => linkIn(mail, prefix).slice(prefix.length);

/** Signs up through the API with an address, and confirms it through the API with the token from the mail. */
export async function signUpConfirmed(app: FastifyInstance, inbox: SmtpInbox, username: string, email: string): Promise<{ session: ApiSession; id: number }> {
  const session = apiSession(app);
  const { data, response } = await session.api.POST('/api/v1/users', { body: { username, password: PASSWORD, email } });
  assert.equal(response.status, 201, `signup of ${username}`);
  session.headers['x-csrf-token'] = data!.csrf_token;
  const token = tokenIn(await inbox.nextMailTo(email, /Confirm your email address/), CONFIRM_LINK);
  const confirmed = await session.api.POST('/api/v1/email/confirm', { body: { token } });
  assert.equal(confirmed.response.status, 200);
  assert.deepEqual(confirmed.data, { email, changed: false });
  return { session, id: data!.user.id };
}

/** `POST /api/v1/password/forgot` from a client address, checked against the spec; waits for the work it started. */
export async function forgotFrom(app: FastifyInstance, ip: string, login: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url: '/api/v1/password/forgot', payload: { login }, headers, remoteAddress: ip });
  assertMatchesSpec('POST', '/api/v1/password/forgot', response.statusCode, response.headers['content-type'] as string | undefined, response.body);
  await app.recovery.background.settled();
  await app.mailer.deliverDue();
  return response;
}
