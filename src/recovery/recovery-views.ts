import type { FastifyRequest } from 'fastify';
import { MIN_PASSWORD_CHARACTERS } from 'latchkey';
import type { User } from '../users/user-repository.js';
import { type FieldErrors, field, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import type { AddressGrant } from './email-verification.js';

export function forgotPasswordPage(request: FastifyRequest, login = '', errors: FieldErrors = {}): SafeHtml {
  return html`<h1>Forgot your password?</h1>
<p>Type your username or your email address. If the account has a confirmed email address, we send a link there to choose a new password.</p>
${form(
  { action: '/users/password/forgot', csrfToken: request.csrfToken(), submit: 'Send me a link', className: 'stack' },
  field({ name: 'login', label: 'Username or email address', value: login, autocomplete: 'username', required: true, maxLength: 254, verbatim: true, errors, autofocus: true }),
)}
<p><a href="/users/login">Back to log in</a></p>`;
}

/** The answer to every "forgot" form, whether or not an account matched: it must not tell. */
export function forgotPasswordSentPage(validMinutes: number): SafeHtml {
  return html`<h1>Check your email</h1>
<p class="lead">If an account matches what you typed and has a confirmed email address, a link to choose a new password is on its way there.</p>
<p>The link works once, for ${validMinutes} minutes. Asking again sends a new link and voids the old one.</p>
<p class="muted">Nothing after a few minutes? Look in your spam folder, and check you typed the username or address of your account. An account without a confirmed email address cannot be reset by mail.</p>
<p><a href="/users/login">Back to log in</a></p>`;
}

export function resetPasswordPage(request: FastifyRequest, token: string, user: User, errors: FieldErrors = {}): SafeHtml {
  return html`<h1>Choose a new password</h1>
<p>For the account <strong>${user.username}</strong>. Every device logged in to it will be logged out.</p>
<form method="post" action="/users/password/reset/${token}" class="stack">
<input type="hidden" name="csrf_token" value="${request.csrfToken()}">
<input type="text" name="username" value="${user.username}" autocomplete="username" hidden>
${field({
  name: 'password',
  label: 'New password',
  type: 'password',
  autocomplete: 'new-password',
  required: true,
  minLength: MIN_PASSWORD_CHARACTERS,
  hint: `At least ${MIN_PASSWORD_CHARACTERS} characters.`,
  errors,
  autofocus: true,
})}
<button type="submit">Set new password</button>
</form>`;
}

/** A link that is unknown, altered, used, expired or replaced by a newer one: which, does not matter to the reader. */
export function deadLinkPage(kind: 'password' | 'email'): SafeHtml {
  return kind === 'password'
    ? html`<h1>This link does not work</h1>
<p>A password-reset link works once, for 30 minutes, and only until a newer one is asked for or the password changes.</p>
<p><a class="button" href="/users/password/forgot">Ask for a new link</a></p>`
    : html`<h1>This link does not work</h1>
<p>A link to confirm an email address works once, for 24 hours, and only until a newer one is sent.</p>
<p>Log in and open your profile to send a new one.</p>
<p><a class="button" href="/users/login">Log in</a></p>`;
}

export function confirmEmailPage(request: FastifyRequest, token: string, grant: AddressGrant): SafeHtml {
  const change = grant.purpose === 'email-change';
  return html`<h1>${change ? 'Use this email address?' : 'Confirm your email address'}</h1>
${change
  ? html`<p>The email address of the account <strong>${grant.user.username}</strong> becomes <strong>${grant.email}</strong>.</p>`
  : html`<p>Confirm that <strong>${grant.email}</strong> is the email address of the account <strong>${grant.user.username}</strong>.</p>`}
${form({ action: `/users/email/confirm/${token}`, csrfToken: request.csrfToken(), submit: change ? 'Use this address' : 'Confirm my address' })}`;
}

export function emailTakenPage(): SafeHtml {
  return html`<h1>That address is taken</h1>
<p>Another account has started using this email address since the link was sent, so it cannot be yours as well.</p>
<p><a href="/users/login">Log in</a> and choose another address on your profile.</p>`;
}
