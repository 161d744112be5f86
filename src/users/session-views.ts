import type { FastifyRequest } from 'fastify';
import type { DeviceSession } from 'latchkey';
import type { Page } from '../db/keyset-page.js';
import { form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import { pager } from '../views/pager.js';
import { deviceName } from './device-name.js';

const when = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/**
 * The devices page: where you are logged in, newest login first and 50 a page, with a button to
 * end any session but this one. `others`: sessions other than this one exist, on any page.
 */
export function sessionsPage(request: FastifyRequest, userId: number, page: Page<{ session: DeviceSession }>, others: boolean): SafeHtml {
  const base = `/users/${userId}/sessions`;
  const sessions = page.items.map((item) => item.session);
  return html`<h1>Where you are logged in</h1>
<ul class="sessions">
${sessions.map(
  (session) => html`<li class="session${session.current ? ' current' : ''}">
<strong>${deviceName(session.userAgent)}</strong>${session.current ? html` <span class="badge">this device</span>` : ''}
<br><span class="muted">${session.ip || 'unknown address'} · logged in ${when(session.createdAt)} · last seen ${when(session.lastSeenAt)}</span>
${session.current ? '' : form({ action: `${base}/${session.handle}`, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'End this session', className: 'inline-form' })}
</li>`,
)}
</ul>
${pager(base, page, { prev: 'Newer', next: 'Older' })}
${others ? '' : html`<p class="muted">You are not logged in anywhere else.</p>`}
${others ? form({ action: base, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'Log out everywhere else' }) : ''}`;
}
