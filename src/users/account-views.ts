import type { FastifyRequest } from 'fastify';
import { type FieldErrors, field, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import type { User } from './user-repository.js';

export interface UserFormState {
  username?: string;
  firstName?: string;
  lastName?: string;
}

export function signupPage(request: FastifyRequest, state: UserFormState = {}, errors: FieldErrors = {}): SafeHtml {
  return html`<h1>Sign up</h1>
${form(
  { action: '/users/signup', csrfToken: request.csrfToken(), submit: 'Create account', className: 'stack' },
  ...userFields(state, errors, { newPassword: true, passwordRequired: true }),
)}
<p>Already have an account? <a href="/users/login">Log in</a>.</p>`;
}

export function loginPage(request: FastifyRequest, username = '', next: string | null = null): SafeHtml {
  return html`<h1>Log in</h1>
<form method="post" action="/users/login" class="stack">
<input type="hidden" name="csrf_token" value="${request.csrfToken()}">
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
${field({ name: 'username', label: 'Username', value: username, autocomplete: 'username', required: true })}
${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true })}
<button type="submit">Log in</button>
</form>
<p>New here? <a href="/users/signup">Create an account</a>.</p>`;
}

export function welcomePage(user: User): SafeHtml {
  return html`<h1>Welcome, ${user.username}!</h1>
<p>You are logged in. This page is only for logged-in users.</p>
<ul class="actions">
<li><a href="/users/${user.id}">Your profile</a></li>
<li><a href="/users/${user.id}/messages">Your messages</a></li>
<li><a href="/users">Everyone</a></li>
</ul>`;
}

export function logoutPage(request: FastifyRequest): SafeHtml {
  return html`<h1>Log out</h1>
${request.user ? form({ action: '/users/logout', csrfToken: request.csrfToken(), submit: 'Log out' }) : html`<p>You are not logged in. <a href="/users/login">Log in</a>.</p>`}`;
}

/** The fields of the signup and profile forms; the password is never filled back in. */
export function userFields(
  state: UserFormState,
  errors: FieldErrors,
  { newPassword, passwordRequired }: { newPassword: boolean; passwordRequired: boolean },
): SafeHtml[] {
  return [
    field({ name: 'username', label: 'Username', value: state.username, autocomplete: 'username', required: true, hint: 'Letters, digits, dots, dashes and underscores; up to 64.', errors }),
    field({
      name: 'password',
      label: passwordRequired ? 'Password' : 'New password',
      type: 'password',
      autocomplete: newPassword ? 'new-password' : 'current-password',
      required: passwordRequired,
      hint: passwordRequired ? 'At least 8 characters.' : 'Leave blank to keep your current password.',
      errors,
    }),
    field({ name: 'first_name', label: 'First name', value: state.firstName, autocomplete: 'given-name', errors }),
    field({ name: 'last_name', label: 'Last name', value: state.lastName, autocomplete: 'family-name', errors }),
  ];
}
