import type { FastifyRequest } from 'fastify';
import type { Page } from '../db/keyset-page.js';
import type { User } from '../users/user-repository.js';
import { type FieldErrors, field, form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import { pager } from '../views/pager.js';
import { MAX_MESSAGE_CHARACTERS } from './message-content.js';
import type { Message, MessageWithAuthor } from './message-repository.js';
import { messageTitle } from './message-title.js';

const NEWER_OLDER = { prev: 'Newer', next: 'Older' };

/**
 * Everyone's messages. A visitor who is not logged in gets them as text: a message's page and its
 * author's profile need a login, and a link that only leads to the login page is a dead end.
 */
export function allMessagesPage(page: Page<MessageWithAuthor>, loggedIn: boolean): SafeHtml {
  return html`<h1>Messages</h1>
<p class="muted">Everything everyone has written, newest first. Anyone may read them; only their authors may change them.</p>
${loggedIn ? '' : html`<p class="notice"><a href="/users/login?next=%2Fmessages">Log in</a> to open each message and see its author's profile; new here? <a href="/users/signup">Sign up</a>.</p>`}
${page.items.length === 0 ? html`<p class="empty">No messages yet.</p>` : ''}
<ul class="messages">
${page.items.map((message) =>
  loggedIn
    ? html`<li><a href="/users/${message.userId}/messages/${message.id}">${messageTitle(message.content)}</a>
<span class="meta">by <a href="/users/${message.userId}">${message.username}</a> · ${when(message.createdAt)}</span></li>`
    : html`<li><span>${messageTitle(message.content)}</span>
<span class="meta">by ${message.username} · ${when(message.createdAt)}</span></li>`,
)}
</ul>
${pager('/messages', page, NEWER_OLDER)}`;
}

export function userMessagesPage(request: FastifyRequest, owner: User, page: Page<Message>): SafeHtml {
  const own = request.user?.id === owner.id;
  return html`<h1>${own ? 'Your messages' : html`Messages by ${owner.username}`}</h1>
${own ? html`<p><a class="button" href="/users/${owner.id}/messages/new">New message</a></p>` : ''}
${page.items.length === 0 ? html`<p class="empty">No messages yet.</p>` : ''}
<ul class="messages">
${page.items.map((message) => html`<li><a href="/users/${owner.id}/messages/${message.id}">${messageTitle(message.content)}</a>
<span class="meta">${when(message.createdAt)}</span></li>`)}
</ul>
${pager(`/users/${owner.id}/messages`, page, NEWER_OLDER)}`;
}

export function messagePage(request: FastifyRequest, owner: User, message: Message): SafeHtml {
  const own = request.user?.id === owner.id;
  const base = `/users/${owner.id}/messages/${message.id}`;
  return html`<h1>Message</h1>
<blockquote class="message">${message.content}</blockquote>
<p class="meta">by <a href="/users/${owner.id}">${owner.username}</a> · ${when(message.createdAt)}</p>
${own
  ? html`<div class="button-row"><a class="button secondary" href="${base}/edit">Edit</a> <a class="button danger" href="${base}/delete">Delete message</a></div>`
  : ''}
<p><a href="/users/${owner.id}/messages">All messages by ${owner.username}</a></p>`;
}

/** Shows the message about to go, and carries the form that deletes it. */
export function deleteMessagePage(request: FastifyRequest, message: Message): SafeHtml {
  const base = `/users/${message.userId}/messages/${message.id}`;
  return html`<h1>Delete this message?</h1>
<blockquote class="message">${message.content}</blockquote>
<p class="meta">Written ${when(message.createdAt)}. Deleting it cannot be undone.</p>
<div class="button-row">
${form({ action: base, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'Delete message', className: 'inline' })}
<a class="button secondary" href="${base}">Keep it</a>
</div>`;
}

export function messageFormPage(
  request: FastifyRequest,
  options: { title: string; action: string; method: 'POST' | 'PATCH'; content?: string; errors?: FieldErrors },
): SafeHtml {
  const { title, action, method, content = '', errors = {} } = options;
  return html`<h1>${title}</h1>
${form(
  { action, method, csrfToken: request.csrfToken(), submit: 'Save', className: 'stack' },
  field({
    name: 'content',
    label: 'Message',
    type: 'textarea',
    value: content,
    required: true,
    hint: `Plain text, up to ${MAX_MESSAGE_CHARACTERS} characters.`,
    errors,
    autofocus: Boolean(errors.content),
  }),
)}`;
}

/** A stored UTC timestamp as a `<time>` a person can read. */
function when(timestamp: string): SafeHtml {
  return html`<time datetime="${timestamp}">${timestamp.slice(0, 16).replace('T', ' ')} UTC</time>`;
}
