import type { FastifyReply } from 'fastify';
import { html } from '../views/html.js';

/**
 * Answers a throttled attempt: 429 with `Retry-After`, and a page that says when to try again.
 * It is the same whether the username exists or not, and whichever limit was reached, so it tells
 * an attacker nothing about the account.
 */
export function replyTooManyAttempts(reply: FastifyReply, retryAfterMs: number, backTo: { href: string; label: string }) {
  const seconds = Math.ceil(retryAfterMs / 1000);
  const page = html`<h1>Too many attempts</h1>
<p>For your safety, please wait ${waitText(seconds)} before trying again.</p>
<p><a href="${backTo.href}">${backTo.label}</a></p>`;
  return reply.header('retry-after', String(seconds)).page('Too many attempts', page, 429);
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
