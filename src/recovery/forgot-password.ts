import type { FastifyRequest, onResponseAsyncHookHandler } from 'fastify';
import { type Quota, throttleAddress } from 'latchkey';
import type { BackgroundWork } from './background-work.js';
import type { PasswordReset } from './password-reset.js';

/** The longest username or address a "forgot password" request may name. */
export const MAX_LOGIN_CHARACTERS = 254;

export type ForgotOutcome = { outcome: 'accepted' } | { outcome: 'invalid'; error: string } | { outcome: 'throttled'; retryAfterMs: number };

export interface ForgotPassword {
  /**
   * Checks `login` and counts the request against its client address. An accepted request's
   * lookup and mail wait until its answer has gone (register `runAfterAnswer` as the route's
   * `onResponse`), so the answer is the same, in the same time, whether or not the account exists.
   */
  accept(request: FastifyRequest, login: string): Promise<ForgotOutcome>;
  /** The `onResponse` hook of every route that calls `accept`. */
  runAfterAnswer: onResponseAsyncHookHandler;
}

export interface ForgotPasswordDeps {
  passwordReset: PasswordReset;
  background: BackgroundWork;
  /** "Forgot password" requests per client address. */
  addressQuota: Quota;
}

/**
 * The "forgot password" request as the form and the JSON API both take it.
 *
 * @example
 * app.post('/forgot', { onResponse: forgot.runAfterAnswer }, async (request) => forgot.accept(request, body.login));
 */
export function createForgotPassword({ passwordReset, background, addressQuota }: ForgotPasswordDeps): ForgotPassword {
  const afterAnswer = new WeakMap<FastifyRequest, () => Promise<void>>();
  return {
    async accept(request, typed) {
      const login = typed.trim();
      if (login === '') return { outcome: 'invalid', error: 'Enter your username or email address.' };
      if (login.length > MAX_LOGIN_CHARACTERS) return { outcome: 'invalid', error: `Use at most ${MAX_LOGIN_CHARACTERS} characters.` };
      const retryAfterMs = await addressQuota.take(throttleAddress(request.ip));
      if (retryAfterMs > 0) return { outcome: 'throttled', retryAfterMs };
      // nothing that depends on the account happens before the answer: not even the lookup
      afterAnswer.set(request, async () => {
        const outcome = await passwordReset.request(login);
        request.log.info({ outcome }, 'password reset requested');
      });
      return { outcome: 'accepted' };
    },
    async runAfterAnswer(request) {
      const task = afterAnswer.get(request);
      if (task) background.run('password reset request', task);
    },
  };
}
