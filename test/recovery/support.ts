import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Times "forgot password" requests (`send`, which must answer `status`) for a known and an unknown
 * login, `rounds` of each, and returns the ratio of their medians (unknown / known). They run
 * interleaved in the order known, unknown, unknown, known: a pause of the machine hits both groups
 * alike, and so does what a sent mail leaves behind (its SMTP connection closing). What a request
 * set going is finished before the next is timed, so it lands on neither group.
 */
export async function forgotTimingRatio(
  app: FastifyInstance,
  send: (login: string) => Promise<{ statusCode: number }>,
  status: number,
  logins: { known: (round: number) => string; unknown: (round: number) => string },
  rounds = 40,
) {
  async function timed(login: string) {
    const start = performance.now();
    const response = await send(login);
    const elapsed = performance.now() - start;
    assert.equal(response.statusCode, status, login);
    await app.recovery.background.settled();
    await app.mailer.deliverDue();
    return elapsed;
  }
  async function measure() {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        known.push(await timed(logins.known(i)));
        unknown.push(await timed(logins.unknown(i)));
      } else {
        unknown.push(await timed(logins.unknown(i)));
        known.push(await timed(logins.known(i)));
      }
    }
    return { ratio: median(unknown) / median(known), known: median(known), unknown: median(unknown) };
  }
  for (let i = 0; i < 5; i++) await timed(i % 2 ? logins.known(i) : logins.unknown(i)); // warm up
  // sub-millisecond answers: a busy machine can skew one measurement, so up to three are taken;
  // a real difference (the lookup before the answer: ratio ~0.6) shows in every one of them
  let result = await measure();
  for (let attempt = 1; attempt < 3 && !sameTiming(result.ratio); attempt++) result = await measure();
  return result;
}

/** Equal work lands near 1 (0.9 to 1.2 seen); with the account lookup before the answer the ratio falls to ~0.6. */
export const sameTiming = (ratio: number) => ratio > 0.75 && ratio < 1.33;
