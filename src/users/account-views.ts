import type { FastifyRequest } from 'fastify';
import { MIN_PASSWORD_CHARACTERS } from 'latchkey';
import { MAX_EMAIL_CHARACTERS } from '../email-address.js';
import { type FieldErrors, field, firstError, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import type { User } from './user-repository.js';

export interface UserFormState {
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}

// the seed's fields keep their order (and people their Tab habits); the optional address comes last
const USER_FIELDS = ['username', 'password', 'first_name', 'last_name', 'email'] as const;

export function signupPage(request: FastifyRequest, state: UserFormState = {}, errors: FieldErrors = {}): SafeHtml {
  return html`<h1>Sign up</h1>
<p class="muted">Pick a username and a password; your email address and name are optional.</p>
${form(
  { action: '/users/signup', csrfToken: request.csrfToken(), submit: 'Create account', className: 'stack' },
  ...userFields(state, errors, { newPassword: true, passwordRequired: true, emailHint: 'To reset your password if you forget it. We send a link to confirm it.' }),
)}
<p>Already have an account? <a href="/users/login">Log in</a>.</p>`;
}

export function loginPage(request: FastifyRequest, username = '', next: string | null = null): SafeHtml {
  return html`<h1>Log in</h1>
<form method="post" action="/users/login" class="stack">
<input type="hidden" name="csrf_token" value="${request.csrfToken()}">
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
${field({ name: 'username', label: 'Username', value: username, autocomplete: 'username', required: true, verbatim: true })}
${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true })}
<div class="checkbox"><input type="checkbox" id="field-remember" name="remember" value="on"> <label for="field-remember">Keep me logged in on this device</label></div>
<button type="submit">Log in</button>
</form>
<p><a href="/users/password/forgot">Forgot your password?</a></p>
<p>New here? <a href="/users/signup">Create an account</a>.</p>`;
}

/**
 * The welcome page. The guard that refuses someone else's page sends people here with "Not
 * Authorized" (`refused`): they then read why, not a cheerful welcome under the refusal.
 */
export function welcomePage(user: User, { refused = false } = {}): SafeHtml {
  return html`${refused
  ? html`<h1>That page is not yours</h1>
<p class="lead">Everyone may read every profile and message, but you can only change your own. Yours are here:</p>`
  : html`<h1>Welcome, ${user.username}!</h1>
<p class="lead">You are logged in. This page is only for logged-in users.</p>`}
<ul class="cards">
<li><a href="/users/${user.id}/messages"><strong>Your messages</strong><span>Write, edit and delete what you post.</span></a></li>
<li><a href="/users/${user.id}"><strong>Your profile</strong><span>Change your name, username or password.</span></a></li>
<li><a href="/users"><strong>Everyone</strong><span>See who else has an account.</span></a></li>
</ul>`;
}

export function logoutPage(request: FastifyRequest): SafeHtml {
  return html`<h1>Log out</h1>
${request.user
  ? html`<p>You are logged in as <strong>${request.user.username}</strong>. Log out on this device?</p>
${form({ action: '/users/logout', csrfToken: request.csrfToken(), submit: 'Log out' })}`
  : html`<p>You are not logged in. <a href="/users/login">Log in</a>.</p>`}`;
}

/** The fields of the signup and profile forms; the password is never filled back in. */
export function userFields(
  state: UserFormState,
  errors: FieldErrors,
  { newPassword, passwordRequired, emailHint }: { newPassword: boolean; passwordRequired: boolean; emailHint: string },
): SafeHtml[] {
  const focus = firstError(USER_FIELDS, errors);
  return [
    field({
      name: 'username',
      label: 'Username',
      value: state.username,
      autocomplete: 'username',
      required: true,
      maxLength: 64,
      verbatim: true,
      hint: 'Letters, digits, dots, dashes and underscores; up to 64.',
      errors,
      autofocus: focus === 'username',
    }),
    field({
      name: 'password',
      label: passwordRequired ? 'Password' : 'New password',
      type: 'password',
      autocomplete: newPassword ? 'new-password' : 'current-password',
      required: passwordRequired,
      minLength: MIN_PASSWORD_CHARACTERS,
      hint: passwordRequired ? `At least ${MIN_PASSWORD_CHARACTERS} characters.` : 'Leave blank to keep your current password.',
      errors,
      autofocus: focus === 'password',
    }),
    field({ name: 'first_name', label: 'First name', value: state.firstName, autocomplete: 'given-name', errors, autofocus: focus === 'first_name' }),
    field({ name: 'last_name', label: 'Last name', value: state.lastName, autocomplete: 'family-name', errors, autofocus: focus === 'last_name' }),
    field({
      name: 'email',
      label: 'Email address',
      type: 'email',
      value: state.email,
      autocomplete: 'email',
      maxLength: MAX_EMAIL_CHARACTERS,
      verbatim: true,
      hint: emailHint,
      errors,
      autofocus: focus === 'email',
    }),
  ];
}
