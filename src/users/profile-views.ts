import type { FastifyRequest } from 'fastify';
import type { Page } from '../db/keyset-page.js';
import { type FieldErrors, field, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import { pager } from '../views/pager.js';
import { type UserFormState, userFields } from './account-views.js';
import type { User } from './user-repository.js';

export function usersIndexPage(page: Page<User>, total: number): SafeHtml {
  return html`<h1>Users</h1>
<p class="muted">${total === 1 ? '1 account' : `${total} accounts`}</p>
<ul class="rows">
${page.items.map((user) => html`<li><a href="/users/${user.id}">${user.username}</a>${fullName(user) ? html` <span class="muted">${fullName(user)}</span>` : ''}</li>`)}
</ul>
${pager('/users', page, { prev: 'Previous', next: 'Next' })}`;
}

export function profilePage(request: FastifyRequest, user: User, pendingEmail: string | null = null): SafeHtml {
  const own = request.user?.id === user.id;
  return html`<h1>${user.username}</h1>
${fullName(user) ? html`<p class="lead">${fullName(user)}</p>` : ''}
<p class="muted">Member since ${user.createdAt.slice(0, 10)}${own ? ' · this is you' : ''}</p>
${own ? emailStatus(request, user, pendingEmail) : ''}
<p class="button-row">
<a class="button" href="/users/${user.id}/messages">${own ? 'Your messages' : html`Messages by ${user.username}`}</a>
${own ? html`<a class="button secondary" href="/users/${user.id}/edit">Edit your profile</a> <a class="button secondary" href="/users/${user.id}/sessions">Where you are logged in</a>` : ''}
</p>`;
}

export interface DeleteFormState {
  /** The login is not recent: deleting needs the password again. */
  askPassword?: boolean;
  error?: string;
}

/** Only on your own profile: your address, whether it is confirmed, and a change waiting for its link. */
function emailStatus(request: FastifyRequest, user: User, pendingEmail: string | null): SafeHtml {
  const pending = pendingEmail ? html`<p class="muted">A link was sent to <strong>${pendingEmail}</strong>: your address changes to it when you follow the link.</p>` : '';
  if (!user.email) {
    return html`<p>No email address: a forgotten password cannot be reset. <a href="/users/${user.id}/edit">Add one</a>.</p>${pending}`;
  }
  if (user.emailVerified) return html`<p>Email address: <strong>${user.email}</strong> (confirmed)</p>${pending}`;
  return html`<p>Email address: <strong>${user.email}</strong> (not confirmed yet: follow the link we sent to it)</p>
<form method="post" action="/users/${user.id}/email/verification" class="button-row">
<input type="hidden" name="csrf_token" value="${request.csrfToken()}">
<button type="submit" class="secondary">Send the link again</button>
</form>
${pending}`;
}

export function editProfilePage(request: FastifyRequest, user: User, state: UserFormState = {}, errors: FieldErrors = {}): SafeHtml {
  const values = { username: user.username, email: user.email ?? '', firstName: user.firstName, lastName: user.lastName, ...state };
  return html`<h1>Edit your profile</h1>
${form(
  { action: `/users/${user.id}`, method: 'PATCH', csrfToken: request.csrfToken(), submit: 'Save changes', className: 'stack' },
  ...userFields(values, errors, {
    newPassword: true,
    passwordRequired: false,
    emailHint: 'A new address changes when you follow the link we send to it. Blank removes it; then a forgotten password cannot be reset.',
  }),
  field({
    name: 'current_password',
    label: 'Current password',
    type: 'password',
    autocomplete: 'current-password',
    hint: 'Needed only to set a new password or change your email address.',
    errors,
    // the cursor goes here only when this is the one field to fix
    autofocus: Object.keys(errors).every((name) => name === 'current_password') && Boolean(errors.current_password),
  }),
)}
<section class="danger-zone" aria-labelledby="delete-heading">
<h2 id="delete-heading">Delete your account</h2>
<p>This deletes your profile and all your messages, and logs you out everywhere. You will be asked to confirm.</p>
<p><a class="button danger" href="/users/${user.id}/delete">Delete your account</a></p>
</section>`;
}

/** Says what deleting the account takes with it, and carries the form that does it. */
export function deleteAccountPage(request: FastifyRequest, user: User, messageCount: number, deletion: DeleteFormState = {}): SafeHtml {
  const messages = messageCount === 0 ? '' : messageCount === 1 ? ' and your one message' : ` and your ${messageCount} messages`;
  return html`<h1>Delete your account?</h1>
<p>This deletes your account <strong>${user.username}</strong> with your profile${messages}, and logs you out everywhere. It cannot be undone.</p>
${form(
  { action: `/users/${user.id}`, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'Delete my account', className: 'stack' },
  deletion.askPassword ? deletePasswordField(deletion.error) : html``,
)}
<p><a href="/users/${user.id}/edit">Keep my account</a></p>`;
}

/** Its own id, apart from the profile form's `current_password`. */
function deletePasswordField(error: string | undefined): SafeHtml {
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="delete-current-password">Your password</label>
<p class="hint" id="delete-current-password-hint">You logged in a while ago: confirm it is you.</p>
${error ? html`<p class="field-error" id="delete-current-password-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''}
<input type="password" id="delete-current-password" name="current_password" autocomplete="current-password" required${error ? html` aria-invalid="true" autofocus` : ''} aria-describedby="delete-current-password-hint${error ? ' delete-current-password-error' : ''}">
</div>`;
}

const fullName = (user: User) => [user.firstName, user.lastName].filter(Boolean).join(' ');
