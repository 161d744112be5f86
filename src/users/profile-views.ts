import type { FastifyRequest } from 'fastify';
import { type FieldErrors, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import { type UserFormState, userFields } from './account-views.js';
import type { User } from './user-repository.js';

export function usersIndexPage(users: User[]): SafeHtml {
  return html`<h1>Users</h1>
<ul class="list">
${users.map((user) => html`<li><a href="/users/${user.id}">${user.username}</a>${fullName(user) ? html` <span class="muted">${fullName(user)}</span>` : ''}</li>`)}
</ul>`;
}

export function profilePage(request: FastifyRequest, user: User): SafeHtml {
  const own = request.user?.id === user.id;
  return html`<h1>${user.username}</h1>
${fullName(user) ? html`<p class="lead">${fullName(user)}</p>` : ''}
<p class="muted">Member since ${user.createdAt.slice(0, 10)}</p>
<ul class="actions">
<li><a href="/users/${user.id}/messages">${own ? 'Your messages' : html`Messages by ${user.username}`}</a></li>
${own ? html`<li><a href="/users/${user.id}/edit">Edit your profile</a></li>` : ''}
</ul>`;
}

export function editProfilePage(request: FastifyRequest, user: User, state: UserFormState = {}, errors: FieldErrors = {}): SafeHtml {
  const values = { username: user.username, firstName: user.firstName, lastName: user.lastName, ...state };
  return html`<h1>Edit your profile</h1>
${form(
  { action: `/users/${user.id}`, method: 'PATCH', csrfToken: request.csrfToken(), submit: 'Save changes', className: 'stack' },
  ...userFields(values, errors, { newPassword: true, passwordRequired: false }),
)}
<section class="danger-zone" aria-labelledby="delete-heading">
<h2 id="delete-heading">Delete your account</h2>
<p>This deletes your profile and all your messages, and logs you out everywhere. It cannot be undone.</p>
${form({ action: `/users/${user.id}`, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'Delete my account' })}
</section>`;
}

const fullName = (user: User) => [user.firstName, user.lastName].filter(Boolean).join(' ');
