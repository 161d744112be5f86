import type { Flash } from 'latchkey';
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
  /** The path of this page, so the navigation can mark where the visitor is. */
  currentPath?: string;
  /** Set when the page answers a submission that failed: the title then starts with "Error:". */
  failed?: boolean;
}

/** The one page frame: navigation that knows who is logged in, the flash messages, the content. */
export function layout({ title, body, user, flashes, csrfToken, currentPath = '', failed = false }: PageOptions): string {
  const path = currentPath.split('?')[0]!;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${failed ? 'Error: ' : ''}${title} · Latchkey</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<nav aria-label="Main">
<a class="brand" href="/"${path === '/' ? html` aria-current="page"` : ''}><img src="/static/favicon.svg" alt="" width="24" height="24"> Latchkey</a>
<ul class="nav-links">
${navLink('/messages', 'Messages', path)}
${user ? navLink('/users', 'Users', path) : ''}
</ul>
${user ? loggedInNav(user, csrfToken ?? '', path) : loggedOutNav(path)}
</nav>
</header>
<main id="main" tabindex="-1">
${flashes.length > 0 ? html`<div class="flashes">${flashes.map(flashMessage)}</div>` : ''}
${body}
</main>
<footer class="site-footer"><p>Latchkey · session-based authentication for TypeScript web apps</p></footer>
</body>
</html>
`.value;
}

function navLink(href: string, label: string, path: string): SafeHtml {
  return html`<li><a href="${href}"${path === href ? html` aria-current="page"` : ''}>${label}</a></li>`;
}

function loggedOutNav(path: string): SafeHtml {
  return html`<div class="nav-end">
<a href="/users/login"${path === '/users/login' ? html` aria-current="page"` : ''}>Log in</a>
<a class="button" href="/users/signup"${path === '/users/signup' ? html` aria-current="page"` : ''}>Sign up</a>
</div>`;
}

function loggedInNav(user: LayoutUser, csrfToken: string, path: string): SafeHtml {
  const profile = `/users/${user.id}`;
  return html`<div class="nav-end">
<span class="who">Logged in as <a id="who" href="${profile}"${path === profile ? html` aria-current="page"` : ''}>${user.username}</a></span>
<form class="inline" method="post" action="/users/logout"><input type="hidden" name="csrf_token" value="${csrfToken}"><button type="submit" class="secondary">Log out</button></form>
</div>`;
}

/** Errors interrupt (role="alert"); success and info wait their turn (role="status"). */
function flashMessage(flash: Flash): SafeHtml {
  const role = flash.category === 'error' ? 'alert' : 'status';
  return html`<p class="flash flash-${flash.category}" role="${role}">${flash.message}</p>`;
}
