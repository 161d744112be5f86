import type { FastifyRequest } from 'fastify';
import type { DeviceSession } from 'latchkey';
import { form } from '../views/form.js';
import { html, type SafeHtml } from '../views/html.js';
import { deviceName } from './device-name.js';

const when = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** The devices page: where you are logged in, with a button to end any session but this one. */
export function sessionsPage(request: FastifyRequest, userId: number, sessions: DeviceSession[]): SafeHtml {
  const base = `/users/${userId}/sessions`;
  const others = sessions.some((session) => !session.current);
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
${others ? '' : html`<p class="muted">You are not logged in anywhere else.</p>`}
${others ? form({ action: base, method: 'DELETE', csrfToken: request.csrfToken(), submit: 'Log out everywhere else' }) : ''}`;
}
