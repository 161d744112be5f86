import type { Flash } from '../sessions/session.js';
import { html, type SafeHtml } from './html.js';

export interface LayoutUser {
  id: number;
  username: string;
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  user: LayoutUser | null;
  flashes: readonly Flash[];
  /** Needed when a user is logged in: the navigation's log-out button is a form. */
  csrfToken: string | null;
}

/** The one page frame: navigation that knows who is logged in, the flash messages, the content. */
export function layout({ title, body, user, flashes, csrfToken }: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Latchkey</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header class="site-header">
<nav aria-label="Main">
<a class="brand" href="/">Latchkey</a>
<a href="/messages">Messages</a>
${user ? loggedInNav(user, csrfToken ?? '') : html`<span class="nav-end"><a href="/users/login">Log in</a> <a class="button" href="/users/signup">Sign up</a></span>`}
</nav>
</header>
<main id="main">
${flashes.length > 0 ? html`<div class="flashes">${flashes.map(flashMessage)}</div>` : ''}
${body}
</main>
</body>
</html>
`.value;
}

function loggedInNav(user: LayoutUser, csrfToken: string): SafeHtml {
  return html`<a href="/users">Users</a>
<span class="nav-end"><a id="who" href="/users/${user.id}">${user.username}</a>
<form class="inline" method="post" action="/users/logout"><input type="hidden" name="csrf_token" value="${csrfToken}"><button type="submit" class="link">Log out</button></form></span>`;
}

function flashMessage(flash: Flash): SafeHtml {
  const role = flash.category === 'error' ? 'alert' : 'status';
  return html`<p class="flash flash-${flash.category}" role="${role}">${flash.message}</p>`;
}
